/**
 * The contract every adapter's event source implements ({@link org.virthooks.core.feed.EventFeed})
 * and the one reconnection skeleton they share ({@link org.virthooks.core.feed.FeedSupervisor}):
 * exponential backoff with jitter, one vocabulary of source events, a guard so that a throwing
 * sink never kills a feed, and resynchronisation after every reconnect.
 */
package org.virthooks.core.feed;
