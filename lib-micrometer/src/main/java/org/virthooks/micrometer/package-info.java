/**
 * Micrometer binders for virthooks: {@link org.virthooks.micrometer.EventFeedMetrics},
 * {@link org.virthooks.micrometer.EventDispatcherMetrics} and
 * {@link org.virthooks.micrometer.HookRegistryMetrics}, each bound with
 * {@code bindTo(MeterRegistry)}.
 */
package org.virthooks.micrometer;
