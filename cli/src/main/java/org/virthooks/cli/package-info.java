/** The {@code virthooks} command line: one picocli subcommand per adapter, plus version and demo. */
package org.virthooks.cli;
