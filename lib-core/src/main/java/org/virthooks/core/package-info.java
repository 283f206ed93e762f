/**
 * The typed event model ({@link org.virthooks.core.VirtEvent} and its records), the domain model
 * ({@link org.virthooks.core.DomainRef}, {@link org.virthooks.core.DomainStatus},
 * {@link org.virthooks.core.DomainInfo}) and the {@link org.virthooks.core.EventDispatcher}.
 */
package org.virthooks.core;
