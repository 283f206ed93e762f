package org.virthooks.benchmarks.libvirt;

import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.hook.Verdict;
import org.virthooks.libvirt.LibvirtHookPoints;
import org.virthooks.libvirt.LibvirtHookProvider;

/**
 * The fresh-JVM side of {@link HookLatencyHarness}: one proceeding hook at
 * {@code before:domain.start}, registered only when {@code -Dvirthooks.bench.hook} is set so that
 * the benchmarks jar changes nothing for anyone else.
 */
public final class BenchHookProvider implements LibvirtHookProvider {
  @Override
  public void register(HookRegistry hooks) {
    if (System.getProperty("virthooks.bench.hook") != null) {
      hooks.register(LibvirtHookPoints.DOMAIN_START, "bench", c -> Verdict.proceed());
    }
  }
}
