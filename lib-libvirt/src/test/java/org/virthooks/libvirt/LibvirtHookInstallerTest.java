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
}
