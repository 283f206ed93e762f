/**
 * The hotplug handler SPI: a {@link org.virthooks.core.hotplug.HotplugHandler} serves the phases
 * of a Xen block hotplug script and answers with a {@link org.virthooks.core.hotplug.BlockDevice}.
 */
package org.virthooks.core.hotplug;
