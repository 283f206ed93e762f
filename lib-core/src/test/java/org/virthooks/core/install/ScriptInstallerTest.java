package org.virthooks.core.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The one rule set every installer follows. */
@Timeout(60)
class ScriptInstallerTest {
  @TempDir Path dir;

  private static String script(String kind, String body) {
    return "#!/bin/sh\n" + ScriptInstaller.marker(kind) + "\n" + body + "\n";
  }

  private List<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void installsCompleteExecutableScriptsAndLeavesNothingElse() throws Exception {
    Path target = dir.resolve("hooks/qemu.d/50-virthooks");
    String text = script("relay client", "exit 0");
    InstallResult r = ScriptInstaller.install(target, text);
    assertThat(r).isEqualTo(new InstallResult(target, true, "installed " + target));
    assertThat(Files.readString(target)).isEqualTo(text);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
        .isEqualTo("rwxr-xr-x");
    assertThat(names(target.getParent())).containsExactly("50-virthooks");
  }

  @Test
  void theSameTextIsNotRewrittenAndADifferentOneIsReplaced() throws Exception {
    Path target = dir.resolve("block-virthooks");
    String text = script("jvm launcher", "exec java");
    ScriptInstaller.install(target, text);
    Object inode = Files.getAttribute(target, "unix:ino");
    InstallResult again = ScriptInstaller.install(target, text);
    assertThat(again.changed()).isFalse();
    assertThat(again.message()).contains("already installed");
    assertThat(Files.getAttribute(target, "unix:ino")).isEqualTo(inode);

    // whatever kind of virthooks script was there is ours to replace
    String relay = script("relay client", "exec perl");
    assertThat(ScriptInstaller.install(target, relay).changed()).isTrue();
    assertThat(Files.readString(target)).isEqualTo(relay);
    assertThat(names(dir)).containsExactly("block-virthooks");

    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    assertThat(ScriptInstaller.install(target, relay).changed()).isTrue();
    assertThat(Files.isExecutable(target)).isTrue();
  }

  @Test
  void aReaderNeverSeesPartOfAScript() throws Exception {
    Path target = dir.resolve("50-virthooks");
    String a = script("relay client", "#" + "a".repeat(256 * 1024));
    String b = script("relay client", "#" + "b".repeat(256 * 1024));
    ScriptInstaller.install(target, a);
    AtomicBoolean done = new AtomicBoolean();
    List<String> torn = new ArrayList<>();
    Thread reader = new Thread(() -> {
      while (!done.get()) {
        try {
          String seen = new String(Files.readAllBytes(target), StandardCharsets.UTF_8);
          if (!seen.equals(a) && !seen.equals(b)) {
            torn.add(seen.length() + " characters");
          }
        } catch (IOException e) {
          torn.add(e.toString()); // the name was missing for a moment
        }
      }
    });
    reader.start();
    try {
      for (int i = 0; i < 30; i++) {
        ScriptInstaller.install(target, i % 2 == 0 ? b : a);
      }
    } finally {
      done.set(true);
      reader.join();
    }
    assertThat(torn).isEmpty();
    assertThat(names(dir)).containsExactly("50-virthooks");
  }

  @Test
  void aFileWithoutTheMarkerIsNeverReplacedOrRemoved() throws Exception {
    Path admin = dir.resolve("block");
    String theirs = "#!/bin/sh\n# mine\n# really mine\n" + ScriptInstaller.marker("late") + "\n";
    Files.writeString(admin, theirs);
    assertThatThrownBy(() -> ScriptInstaller.install(admin, script("relay client", "")))
        .isInstanceOf(IOException.class).hasMessageContaining("was not written by virthooks")
        .hasMessageContaining("not replacing it");
    assertThatThrownBy(() -> ScriptInstaller.uninstall(admin))
        .isInstanceOf(IOException.class).hasMessageContaining("not removing it");
    assertThat(Files.readString(admin)).isEqualTo(theirs);
    assertThat(ScriptInstaller.isOurs(admin)).isFalse();

    // virthooks writes no links: a link is not ours, even to our script, even dangling
    Path ours = dir.resolve("ours");
    ScriptInstaller.install(ours, script("relay client", ""));
    Path link = Files.createSymbolicLink(dir.resolve("link"), ours);
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
    for (Path l : List.of(link, dangling)) {
      assertThatThrownBy(() -> ScriptInstaller.install(l, script("relay client", "x")))
          .isInstanceOf(IOException.class);
      assertThatThrownBy(() -> ScriptInstaller.uninstall(l)).isInstanceOf(IOException.class);
      assertThat(Files.isSymbolicLink(l)).isTrue();
    }

    Path binary = dir.resolve("binary");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 10, (byte) 0xc3});
    assertThat(ScriptInstaller.isOurs(binary)).isFalse();
  }

  @Test
  void aScriptWithoutTheMarkerIsNeverWritten() {
    Path target = dir.resolve("50-virthooks");
    assertThatThrownBy(() -> ScriptInstaller.install(target, "#!/bin/sh\nexit 0\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("# Written by virthooks");
    assertThat(target).doesNotExist();
  }

  @Test
  void uninstallRemovesOnlyOurs() throws Exception {
    Path target = dir.resolve("block-virthooks");
    ScriptInstaller.install(target, script("jvm launcher", ""));
    assertThat(ScriptInstaller.uninstall(target))
        .isEqualTo(new InstallResult(target, true, "removed " + target));
    assertThat(target).doesNotExist();
    InstallResult again = ScriptInstaller.uninstall(target);
    assertThat(again.changed()).isFalse();
    assertThat(again.message()).contains("is not installed");
  }

  @Test
  void scriptNamesArePlainFileNames() {
    assertThat(ScriptInstaller.scriptIn(dir, "50-virthooks"))
        .isEqualTo(dir.resolve("50-virthooks"));
    for (String bad : new String[] {"", "..", ".virthooks-1.tmp", "a/b", "../etc/passwd", "a b"}) {
      assertThatThrownBy(() -> ScriptInstaller.scriptIn(dir, bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain file name");
    }
  }
}
