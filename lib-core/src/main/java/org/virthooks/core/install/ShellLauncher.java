package org.virthooks.core.install;

import java.util.List;
import java.util.regex.Pattern;

/** The text of a {@code /bin/sh} launcher that installers write: the marker, a comment, an exec. */
public final class ShellLauncher {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=+,@%-]+");

  private ShellLauncher() {}

  /**
   * The launcher's text.
   *
   * @param kind what it is, for {@link ScriptInstaller#marker}
   * @param comment one line saying who runs it and what it does
   * @param command shell text after {@code exec}: {@link #words} and the expansions it needs
   */
  public static String render(String kind, String comment, String command) {
    if (comment.contains("\n")) {
      throw new IllegalArgumentException("the comment must be one line: '" + comment + "'");
    }
    return "#!/bin/sh\n" + ScriptInstaller.marker(kind) + "\n# " + comment + "\nexec " + command
        + "\n";
  }

  /** {@code words} as shell words, each quoted unless it is plainly one word. */
  public static String words(List<String> words) {
    StringBuilder s = new StringBuilder();
    for (String w : words) {
      s.append(s.length() == 0 ? "" : " ")
          .append(PLAIN.matcher(w).matches() ? w : "'" + w.replace("'", "'\\''") + "'");
    }
    return s.toString();
  }
}
