package org.virthooks.core.hook;

import org.virthooks.core.internal.Checks;

/** A hook's answer: go on, refuse with a message, or (at filter points) go on with a new document. */
public sealed interface Verdict permits Verdict.Proceed, Verdict.Refuse, Verdict.Rewrite {

  /** Go on. */
  static Verdict proceed() {
    return Proceed.INSTANCE;
  }

  /** Refuse the operation; {@code message} is shown to whoever asked for it (one line is best). */
  static Verdict refuse(String message) {
    return new Refuse(message);
  }

  /** Go on with {@code document} instead of the one received (filter points only). */
  static Verdict rewrite(String document) {
    return new Rewrite(document);
  }

  /** Go on. */
  enum Proceed implements Verdict {
    /** The only instance. */
    INSTANCE
  }

  /**
   * Refuse.
   *
   * @param message why, never blank
   */
  record Refuse(String message) implements Verdict {
    /** Validates the message. */
    public Refuse {
      Checks.notBlank("refusal message", message);
    }
  }

  /**
   * Go on with a rewritten document.
   *
   * @param document the replacement, never null
   */
  record Rewrite(String document) implements Verdict {
    /** Validates the document. */
    public Rewrite {
      Checks.notNull("document", document);
    }
  }
}
