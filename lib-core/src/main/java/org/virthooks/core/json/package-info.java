/** The JSON form of events and hook calls: one line each, with a stable schema. */
package org.virthooks.core.json;
