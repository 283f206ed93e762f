/**
 * Xen for virthooks: a xenstore wire-protocol client ({@link org.virthooks.xen.XenstoreClient})
 * and the runner that serves Xen block and network hotplug scripts with Java handlers
 * ({@link org.virthooks.xen.XenHotplugRunner}).
 */
package org.virthooks.xen;
