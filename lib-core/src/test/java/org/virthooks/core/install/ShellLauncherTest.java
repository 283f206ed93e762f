package org.virthooks.core.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Launchers that sh runs with every word as it was given. */
class ShellLauncherTest {
  @TempDir Path dir;

  @Test
  void wordsReachTheCommandIntactAndTheLauncherIsOurs() throws Exception {
    String text = ShellLauncher.render("test launcher", "a test runs this.",
        ShellLauncher.words(List.of("/usr/bin/printf", "%s|", "a b", "it's", "$HOME", "", "-x"))
            + " \"$@\"");
    assertThat(text).startsWith("#!/bin/sh\n# Written by virthooks (test launcher)")
        .contains("\n# a test runs this.\n")
        .contains("exec /usr/bin/printf '%s|' 'a b' 'it'\\''s' '$HOME' '' -x \"$@\"\n");
    Path script = ScriptInstaller.install(dir.resolve("launcher"), text).script();
    Process p = new ProcessBuilder(script.toString(), "x y").redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("a b|it's|$HOME||-x|x y|");
    assertThatThrownBy(() -> ShellLauncher.render("x", "two\nlines", "true"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
