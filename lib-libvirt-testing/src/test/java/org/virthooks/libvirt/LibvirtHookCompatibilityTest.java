package org.virthooks.libvirt;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.relay.RelayServer;
import org.virthooks.core.relay.UnreachablePolicy;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.core.testing.HookAdapterCompatibilityKit;

/**
 * libvirt's hooks as libvirtd calls them: the client {@code libvirt install --mode relay} writes,
 * exec'd as {@code qemu.d/50-virthooks GUEST OPERATION SUB-OPERATION -} with the domain XML on
 * stdin, answered by {@link LibvirtHookRunner} behind a {@link RelayServer}.
 */
class LibvirtHookCompatibilityTest extends HookAdapterCompatibilityKit {
  private static final String XML = "<domain type='kvm'><name>kit-guest</name>"
      + "<uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid><memory unit='KiB'>65536</memory>"
      + "<os><type>hvm</type></os></domain>";

  @TempDir
  Path dir;

  private RelayServer server;

  private Path socket() {
    return dir.resolve("relay.sock");
  }

  @Override
  protected void serve(HookRegistry registry) throws IOException {
    server = RelayServer.builder(socket(), LibvirtHookRunner.of(registry)).start();
  }

  @Override
  protected void stopServing() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected HookPoint beforePoint() {
    return LibvirtHookPoints.DOMAIN_PREPARE;
  }

  @Override
  protected HookPoint filterPoint() {
    return LibvirtHookPoints.DOMAIN_RESTORE;
  }

  @Override
  protected HookPoint afterPoint() {
    return LibvirtHookPoints.DOMAIN_STOPPED;
  }

  @Override
  protected String document() {
    return XML;
  }

  private static List<String> argv(HookPoint point) {
    String op = point.operation();
    return List.of("kit-guest", op, point.equals(LibvirtHookPoints.DOMAIN_STOPPED) ? "end"
        : "begin", "-");
  }

  private Path install(String name, Path sock, UnreachablePolicy policy) throws IOException {
    return LibvirtHookInstaller.installRelay(dir.resolve("hooks"), HookDriver.QEMU, name, sock,
        policy, Duration.ofSeconds(30)).install().script();
  }

  @Override
  protected ScriptResult call(HookPoint point, String document) throws Exception {
    return exec(install("50-virthooks", socket(), UnreachablePolicy.PROCEED), argv(point),
        document);
  }

  @Override
  protected ScriptResult callUnreachable(HookPoint point, UnreachablePolicy policy)
      throws Exception {
    Path client = install("60-" + policy.name().toLowerCase(java.util.Locale.ROOT),
        dir.resolve("nobody-listens.sock"), policy);
    return exec(client, argv(point), document());
  }

  /** Runs {@code script} as libvirtd does: arguments, {@code stdin}, its answer. */
  static ScriptResult exec(Path script, List<String> args, String stdin)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(script.toString());
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).start();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
      try {
        return p.getInputStream().readAllBytes();
      } catch (IOException e) {
        return new byte[0];
      }
    });
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the hook script did not end within 60 s");
    }
    return new ScriptResult(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8), false);
  }
}
