package org.virthooks.core.install;

import java.nio.file.Path;

/**
 * What an install or uninstall of a hook script did.
 *
 * @param script the script's path
 * @param changed false when it was already so (the same content, or nothing to remove)
 * @param message one human-readable sentence
 */
public record InstallResult(Path script, boolean changed, String message) {}
