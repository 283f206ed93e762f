package org.virthooks.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.install.InstallResult;
import org.virthooks.core.relay.UnreachablePolicy;

/** The libvirt installer on lib-core's rules, and what it says libvirtd needs. */
class LibvirtHookInstallerTest {
  @TempDir Path hooks;

  private LibvirtHookInstaller.Result relay(String name) throws IOException {
    return LibvirtHookInstaller.installRelay(hooks, HookDriver.QEMU, name,
        hooks.resolve("relay.sock"), UnreachablePolicy.PROCEED, Duration.ofSeconds(5));
  }

  @Test
  void eitherModeReplacesTheOtherAndSighupIsAskedOnlyForTheFirstHook() throws Exception {
    LibvirtHookInstaller.Result first = relay("50-virthooks");
    assertThat(first.needsSighup()).isTrue();
    assertThat(first.install().message()).contains("send it SIGHUP");
    Path script = first.install().script();
    assertThat(script).isEqualTo(hooks.resolve("qemu.d/50-virthooks"));

    LibvirtHookInstaller.Result jvm = LibvirtHookInstaller.installJvm(hooks, HookDriver.QEMU,
        "50-virthooks", List.of("java", "-jar", "/opt/virthooks cli.jar", "libvirt", "hook"));
    assertThat(jvm.install().changed()).isTrue();
    assertThat(jvm.needsSighup()).isFalse();
    assertThat(Files.readString(script)).startsWith("#!/bin/sh\n# Written by virthooks")
        .contains("exec java -jar '/opt/virthooks cli.jar' libvirt hook \"$0\" \"$@\"");

    assertThat(relay("50-virthooks").install().changed()).isTrue();
    LibvirtHookInstaller.Result same = relay("50-virthooks");
    assertThat(same.install().changed()).isFalse();
    assertThat(same.needsSighup()).isFalse();
    try (var files = Files.list(script.getParent())) {
      assertThat(files).containsExactly(script);
    }
  }

  @Test
  void aScriptVirthooksDidNotWriteIsNeverReplacedOrRemoved() throws Exception {
    Path admin = Files.createDirectories(hooks.resolve("qemu.d")).resolve("50-virthooks");
    Files.writeString(admin, "#!/bin/sh\nexit 0\n");
    assertThatThrownBy(() -> relay("50-virthooks")).isInstanceOf(IOException.class)
        .hasMessageContaining("not written by virthooks");
    assertThatThrownBy(() -> LibvirtHookInstaller.installJvm(hooks, HookDriver.QEMU,
        "50-virthooks", List.of("java"))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> LibvirtHookInstaller.uninstall(hooks, HookDriver.QEMU,
        "50-virthooks")).isInstanceOf(IOException.class).hasMessageContaining("not removing it");
    assertThat(Files.readString(admin)).isEqualTo("#!/bin/sh\nexit 0\n");
  }

  @Test
  void uninstallRemovesOurScript() throws Exception {
    Path script = relay("60-relay").install().script();
    InstallResult removed = LibvirtHookInstaller.uninstall(hooks, HookDriver.QEMU, "60-relay");
    assertThat(removed.changed()).isTrue();
    assertThat(script).doesNotExist();
    assertThat(LibvirtHookInstaller.uninstall(hooks, HookDriver.QEMU, "60-relay").changed())
        .isFalse();
  }

  // ------------------------------------------------------------------ daemons before 6.5

  private static String run(Path script, String stdin, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(script.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  @Test
  void theLayoutFollowsTheDaemonsVersion() {
    assertThat(LibvirtHookInstaller.Layout.of(LibvirtVersion.parse("libvirtd (libvirt) 6.4.0")))
        .isEqualTo(LibvirtHookInstaller.Layout.WITH_TOP_LEVEL);
    assertThat(LibvirtHookInstaller.Layout.of(LibvirtVersion.ofNumber(6_005_000)))
        .isEqualTo(LibvirtHookInstaller.Layout.DOT_D);
    assertThat(LibvirtHookInstaller.Layout.of(LibvirtVersion.parse("9.0")))
        .isEqualTo(LibvirtHookInstaller.Layout.DOT_D);
    assertThat(LibvirtVersion.ofNumber(10_005_001)).hasToString("10.5.1");
    assertThatThrownBy(() -> LibvirtVersion.parse("libvirtd")).hasMessageContaining("no libvirt");
  }

  @Test
  void theDaemonsOwnVersionOutputIsRead() throws Exception {
    Path fake = hooks.resolve("fake-libvirtd");
    Files.writeString(fake, "#!/bin/sh\necho 'libvirtd (libvirt) 6.0.0'\n");
    fake.toFile().setExecutable(true);
    assertThat(LibvirtVersion.ofDaemon(fake)).contains(new LibvirtVersion(6, 0, 0));
    Path broken = hooks.resolve("broken-libvirtd");
    Files.writeString(broken, "#!/bin/sh\nexit 3\n");
    broken.toFile().setExecutable(true);
    assertThat(LibvirtVersion.ofDaemon(broken)).isEmpty();
    assertThat(LibvirtVersion.ofDaemon(hooks.resolve("absent"))).isEmpty();
  }

  @Test
  void beforeSixFiveTheTopLevelScriptForwardsToTheDotDScriptWithArgumentsAndStdin()
      throws Exception {
    LibvirtHookInstaller.Result r = LibvirtHookInstaller.installJvm(hooks, HookDriver.QEMU,
        "50-virthooks", List.of("/bin/sh", "-c", "echo \"$@\"; cat", "sh"),
        LibvirtHookInstaller.Layout.WITH_TOP_LEVEL);
    Path top = hooks.resolve("qemu");
    assertThat(r.install().message()).contains("wrote " + top);
    assertThat(r.needsSighup()).isTrue();
    assertThat(Files.readString(top)).startsWith("#!/bin/sh\n# Written by virthooks")
        .endsWith("exec " + hooks.resolve("qemu.d/50-virthooks") + " \"$@\"\n");
    // libvirt before 6.5 runs the top-level script: the .d script gets the call, stdin too,
    // and $0 still names the qemu driver
    assertThat(run(top, "<domain/>", "vm1", "started", "begin", "-")).isEqualTo(
        hooks.resolve("qemu.d/50-virthooks") + " vm1 started begin -\n<domain/>");
    assertThat(LibvirtHookInstaller.installJvm(hooks, HookDriver.QEMU, "50-virthooks",
        List.of("/bin/sh", "-c", "echo \"$@\"; cat", "sh"),
        LibvirtHookInstaller.Layout.WITH_TOP_LEVEL).install().changed()).isFalse();
    // after an upgrade, the .d layout removes the forwarder: both would run each call twice
    LibvirtHookInstaller.Result upgraded = LibvirtHookInstaller.installJvm(hooks, HookDriver.QEMU,
        "50-virthooks", List.of("/bin/sh", "-c", "echo \"$@\"; cat", "sh"),
        LibvirtHookInstaller.Layout.DOT_D);
    assertThat(upgraded.install().changed()).isTrue();
    assertThat(upgraded.install().message()).contains("removed our " + top);
    assertThat(top).doesNotExist();
  }

  @Test
  void uninstallRemovesTheForwarderOnlyWhenItIsOursAndPointsAtTheScript() throws Exception {
    Path top = hooks.resolve("qemu");
    LibvirtHookInstaller.installRelay(hooks, HookDriver.QEMU, "50-a", hooks.resolve("s.sock"),
        UnreachablePolicy.PROCEED, Duration.ofSeconds(5), LibvirtHookInstaller.Layout.WITH_TOP_LEVEL);
    relay("60-b");
    // the forwarder goes to 50-a: removing 60-b leaves it
    assertThat(LibvirtHookInstaller.uninstall(hooks, HookDriver.QEMU, "60-b").message())
        .doesNotContain("forwarder");
    assertThat(top).exists();
    InstallResult a = LibvirtHookInstaller.uninstall(hooks, HookDriver.QEMU, "50-a");
    assertThat(a.message()).contains("forwarder " + top);
    assertThat(top).doesNotExist();
    assertThat(hooks.resolve("qemu.d/50-a")).doesNotExist();
  }

  @Test
  void anAdministratorsTopLevelScriptIsNeverReplacedAndNothingIsWritten() throws Exception {
    Path top = hooks.resolve("qemu");
    Files.writeString(top, "#!/bin/sh\nexit 0\n");
    assertThatThrownBy(() -> LibvirtHookInstaller.installRelay(hooks, HookDriver.QEMU, "50-a",
        hooks.resolve("s.sock"), UnreachablePolicy.PROCEED, Duration.ofSeconds(5),
        LibvirtHookInstaller.Layout.WITH_TOP_LEVEL)).isInstanceOf(IOException.class)
        .hasMessageContaining("not written by virthooks").hasMessageContaining("exec "
            + hooks.resolve("qemu.d/50-a"));
    assertThat(hooks.resolve("qemu.d/50-a")).doesNotExist();
    assertThat(Files.readString(top)).isEqualTo("#!/bin/sh\nexit 0\n");
    // in the .d layout an administrator's top-level script is left alone, and so is uninstall
    relay("50-a");
    assertThat(LibvirtHookInstaller.uninstall(hooks, HookDriver.QEMU, "50-a").changed()).isTrue();
    assertThat(Files.readString(top)).isEqualTo("#!/bin/sh\nexit 0\n");
  }
}
