/** Implementation details of virthooks-core: not an API, may change in any release. */
package org.virthooks.core.internal;
