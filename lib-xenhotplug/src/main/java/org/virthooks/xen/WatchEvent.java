package org.virthooks.xen;

/**
 * A watch fired: the node that changed (relative when the watch was set on a relative path) and
 * the watch's token.
 *
 * @param path the changed node
 * @param token the token the watch was set with
 */
public record WatchEvent(String path, String token) {}
