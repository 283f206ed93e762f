package org.virthooks.libvirt.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.virthooks.core.EventSink;
import org.virthooks.core.hook.HookCall;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.libvirt.HookDriver;
import org.virthooks.libvirt.LibvirtHookRunner;

/**
 * Calls hooks exactly as libvirt calls a hook script, with no daemon: argv
 * {@code /etc/libvirt/hooks/<driver>.d/50-virthooks object operation sub-operation extra} and the
 * document on stdin, answered by a {@link LibvirtHookRunner}.
 *
 * <pre>{@code
 * try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
 *   h.registry().hook(LibvirtHookPoints.DOMAIN_START).name("budget").register(new Budget());
 *   ScriptResult r = h.qemu("big", "start", "begin", "-").stdin(domainXml).run();
 *   // r.exitCode() == 1, r.stderr() has the refusal: what libvirt would show
 * }
 * }</pre>
 */
public final class LibvirtHookHarness implements AutoCloseable {
  private final HookRegistry registry;
  private final LibvirtHookRunner runner;

  private LibvirtHookHarness(HookRegistry registry, EventSink sink) {
    this.registry = registry;
    this.runner = LibvirtHookRunner.of(registry, sink);
  }

  /** A harness with a registry of its own, publishing nowhere. */
  public static LibvirtHookHarness create() {
    return new LibvirtHookHarness(HookRegistry.create(), e -> { });
  }

  /** A harness with its own registry, publishing the calls' events to {@code sink}. */
  public static LibvirtHookHarness create(EventSink sink) {
    return new LibvirtHookHarness(HookRegistry.create(), sink);
  }

  /** The registry to register hooks in. */
  public HookRegistry registry() {
    return registry;
  }

  /** The runner. */
  public LibvirtHookRunner runner() {
    return runner;
  }

  /** A qemu call: {@code qemu NAME OPERATION SUBOP EXTRA}. */
  public Call qemu(String name, String operation, String subOperation, String extra) {
    return call(HookDriver.QEMU, name, operation, subOperation, extra);
  }

  /** A network call. */
  public Call network(String name, String operation, String subOperation, String extra) {
    return call(HookDriver.NETWORK, name, operation, subOperation, extra);
  }

  /** A daemon call: {@code daemon - OPERATION SUBOP EXTRA}. */
  public Call daemon(String operation, String subOperation, String extra) {
    return call(HookDriver.DAEMON, "-", operation, subOperation, extra);
  }

  /** A call of any driver's script, installed as {@code <driver>.d/50-virthooks}. */
  public Call call(HookDriver driver, String object, String operation, String subOperation,
      String extra) {
    return script(Path.of("/etc/libvirt/hooks", driver.scriptName() + ".d", "50-virthooks")
        .toString(), object, operation, subOperation, extra);
  }

  /** A call of the script at {@code path} (any name, to test unknown scripts). */
  public Call script(String path, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(path);
    argv.addAll(List.of(args));
    return new Call(argv);
  }

  @Override
  public void close() {
    registry.close();
  }

  /** A call being built. */
  public final class Call {
    private final List<String> argv;
    private byte[] stdin = new byte[0];

    private Call(List<String> argv) {
      this.argv = argv;
    }

    /** The document on stdin. */
    public Call stdin(String text) {
      this.stdin = text.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /** The call as data. */
    public ScriptInvocation invocation() {
      return new ScriptInvocation(argv, Map.of("LC_ALL", "C"), stdin);
    }

    /** The typed call the hooks would get, without running them. */
    public HookCall parse() {
      return runner.parse(invocation());
    }

    /** Runs the hooks and returns what libvirt would read. */
    public ScriptResult run() {
      return runner.run(invocation());
    }
  }
}
