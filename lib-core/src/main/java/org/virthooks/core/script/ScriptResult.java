package org.virthooks.core.script;

import org.virthooks.core.internal.Checks;

/**
 * How a script call ended: exit code, standard output and error (UTF-8, cut at the runner's
 * limit), and whether the deadline killed it.
 *
 * @param exitCode the exit status; 128 + signal when killed, as a shell reports it
 * @param stdout what the script wrote on standard output
 * @param stderr what it wrote on standard error
 * @param timedOut true when the deadline passed (or the caller was interrupted) and the script
 *     was killed
 * @param outputCut true when stdout or stderr is incomplete: over the runner's limit, or a child
 *     the script left behind held the pipe open; never use such output as a document
 */
public record ScriptResult(int exitCode, String stdout, String stderr, boolean timedOut,
    boolean outputCut) {
  /** Validates the fields. */
  public ScriptResult {
    Checks.notNull("stdout", stdout);
    Checks.notNull("stderr", stderr);
  }

  /** A result whose output is complete. */
  public ScriptResult(int exitCode, String stdout, String stderr, boolean timedOut) {
    this(exitCode, stdout, stderr, timedOut, false);
  }

  /** A result for exit code 0 with this output. */
  public static ScriptResult ok(String stdout) {
    return new ScriptResult(0, stdout, "", false);
  }

  /** A failure with this exit code and message on standard error. */
  public static ScriptResult failed(int exitCode, String stderr) {
    return new ScriptResult(exitCode, "", stderr, false);
  }

  /** True for exit code 0 within the deadline. */
  public boolean succeeded() {
    return exitCode == 0 && !timedOut;
  }

  /** The first non-blank line of standard error, or a sentence about the exit code. */
  public String errorLine() {
    for (String line : stderr.split("\\R")) {
      if (!line.isBlank()) {
        return line.strip();
      }
    }
    return timedOut ? "killed at its deadline" : "exited with status " + exitCode;
  }
}
