package org.virthooks.xen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.install.InstallResult;
import org.virthooks.core.relay.UnreachablePolicy;

/** The Xen installer on lib-core's rules: either mode replaces the other, never others' scripts. */
class XenHotplugInstallerTest {
  @TempDir Path scripts;

  private static final List<String> PROGRAM = List.of("-jar", "/opt/virthooks cli.jar", "xen",
      "hotplug");

  private List<String> files() throws IOException {
    try (Stream<Path> s = Files.list(scripts)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aJvmLauncherIsReplacedByTheRelayClientAndBack() throws Exception {
    InstallResult jvm = XenHotplugInstaller.installJvm(scripts, "block-virthooks", "java",
        PROGRAM);
    assertThat(jvm.changed()).isTrue();
    Path script = scripts.resolve("block-virthooks");
    assertThat(jvm.script()).isEqualTo(script);

    InstallResult relay = XenHotplugInstaller.installRelay(scripts, "block-virthooks",
        scripts.resolve("xen.sock"), UnreachablePolicy.REFUSE);
    assertThat(relay.changed()).isTrue();
    assertThat(Files.readString(script)).startsWith("#!/usr/bin/perl\n")
        .contains("my $policy = 'refuse';", "my $timeout = 35;", "my $decision = 1;")
        .contains("'XENBUS_PATH', 'XENBUS_BASE_PATH'");
    assertThat(XenHotplugInstaller.installRelay(scripts, "block-virthooks",
        scripts.resolve("xen.sock"), UnreachablePolicy.REFUSE).changed()).isFalse();

    assertThat(XenHotplugInstaller.installJvm(scripts, "block-virthooks", "java", PROGRAM)
        .changed()).isTrue();
    assertThat(files()).containsExactly("block-virthooks");
  }

  @Test
  void theLauncherPassesLibxlsArgumentsAndTheUsersJavaOptions() throws Exception {
    // /bin/echo stands in for java: the launcher's words arrive as it meant them
    Path script = XenHotplugInstaller.installJvm(scripts, "block-echo", "/bin/echo", PROGRAM)
        .script();
    ProcessBuilder pb = new ProcessBuilder(script.toString(), "add", "type_if=vbd");
    pb.environment().put("VIRTHOOKS_JAVA_OPTS", "-Xmx64m -Dv=1");
    Process p = pb.redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xmx64m -Dv=1 "
            + "-jar /opt/virthooks cli.jar xen hotplug add type_if=vbd\n");
  }

  @Test
  void aScriptVirthooksDidNotWriteIsNeverReplacedOrRemoved() throws Exception {
    Path block = scripts.resolve("block");
    Files.writeString(block, "#!/bin/sh\n# Xen's own block script\n");
    assertThatThrownBy(() -> XenHotplugInstaller.installRelay(scripts, "block",
        scripts.resolve("xen.sock"), UnreachablePolicy.REFUSE))
        .isInstanceOf(IOException.class).hasMessageContaining("not written by virthooks");
    assertThatThrownBy(() -> XenHotplugInstaller.installJvm(scripts, "block", "java", PROGRAM))
        .isInstanceOf(IOException.class).hasMessageContaining("not written by virthooks");
    assertThatThrownBy(() -> XenHotplugInstaller.uninstall(scripts, "block"))
        .isInstanceOf(IOException.class).hasMessageContaining("not removing it");
    assertThat(Files.readString(block)).isEqualTo("#!/bin/sh\n# Xen's own block script\n");
  }

  @Test
  void uninstallRemovesOurScriptAndInstallWantsAnExistingDirectory() throws Exception {
    XenHotplugInstaller.installJvm(scripts, "block-virthooks", "java", PROGRAM);
    assertThat(XenHotplugInstaller.uninstall(scripts, "block-virthooks").changed()).isTrue();
    assertThat(files()).isEmpty();
    assertThat(XenHotplugInstaller.uninstall(scripts, "block-virthooks").changed()).isFalse();

    Path missing = scripts.resolve("etc/xen/scripts");
    assertThatThrownBy(() -> XenHotplugInstaller.installRelay(missing, "block-virthooks",
        scripts.resolve("xen.sock"), UnreachablePolicy.REFUSE))
        .isInstanceOf(IOException.class).hasMessageContaining("is not a directory");
    assertThat(files()).isEmpty();
  }
}
