/**
 * Small programs showing how virthooks is used, each with unit tests written with
 * {@code org.virthooks.core.testing}: listeners, hooks, hotplug handlers, events scripts.
 */
package org.virthooks.examples;
