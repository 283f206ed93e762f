package org.virthooks.examples;

import java.nio.file.Path;
import org.virthooks.core.hook.Hook;
import org.virthooks.core.hook.HookCall;
import org.virthooks.core.hook.HookRegistration;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.hook.Verdict;
import org.virthooks.core.relay.RelayServer;
import org.virthooks.libvirt.DomainDescription;
import org.virthooks.libvirt.LibvirtHookContext;
import org.virthooks.libvirt.LibvirtHookPoints;
import org.virthooks.libvirt.LibvirtHookRunner;

/**
 * A start policy: refuses to start a guest that asks for more memory than the budget. It reads
 * the memory from the domain XML that libvirt hands to the hook, and never calls back into
 * libvirt (libvirtd is waiting for the hook). A guest whose XML cannot be read is refused too:
 * a policy that cannot decide must not let everything through.
 */
public final class MemoryBudgetPolicy implements Hook {
  private final long budgetKib;

  /** A policy allowing guests of at most {@code budgetMib} MiB. */
  public MemoryBudgetPolicy(long budgetMib) {
    this.budgetKib = budgetMib * 1024;
  }

  /** Registers the policy at libvirt's {@code prepare} point, the first of a start. */
  public HookRegistration registerWith(HookRegistry hooks) {
    return hooks.hook(LibvirtHookPoints.DOMAIN_PREPARE).name("memory-budget").priority(10)
        .register(this);
  }

  @Override
  public Verdict apply(HookCall call) {
    DomainDescription d = call.context(LibvirtHookContext.class)
        .flatMap(LibvirtHookContext::domain).orElse(null);
    if (d == null) {
      return Verdict.refuse("memory-budget: cannot read the domain XML of "
          + call.domain().map(r -> r.name()).orElse("this guest"));
    }
    long asked = d.memoryKib().orElse(0L);
    if (asked > budgetKib) {
      return Verdict.refuse("guest " + d.name() + " asks for " + asked / 1024 + " MiB, over the "
          + budgetKib / 1024 + " MiB budget of this host");
    }
    return Verdict.proceed();
  }

  /**
   * Serves the policy to libvirt through the relay: {@code MemoryBudgetPolicy SOCKET BUDGET_MIB},
   * after {@code virthooks libvirt install --driver qemu --mode relay --socket SOCKET}.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: MemoryBudgetPolicy SOCKET BUDGET_MIB");
      System.exit(2);
    }
    try (HookRegistry hooks = HookRegistry.create()) {
      new MemoryBudgetPolicy(Long.parseLong(args[1])).registerWith(hooks);
      try (RelayServer relay = RelayServer.builder(Path.of(args[0]),
          LibvirtHookRunner.of(hooks)::handle).start()) {
        System.out.println("answering libvirt hooks on " + relay.socket() + "; Ctrl-C to stop");
        Thread.currentThread().join();
      }
    }
  }
}
