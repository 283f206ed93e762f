/**
 * Installing hook scripts: {@link org.virthooks.core.install.ScriptInstaller}, the one rule set
 * every adapter's installer follows (virthooks' marker line, atomic writes, never touching a file
 * virthooks did not write).
 */
package org.virthooks.core.install;
