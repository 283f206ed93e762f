package org.virthooks.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.hook.Verdict;
import org.virthooks.core.relay.UnreachablePolicy;
import org.virthooks.core.script.ScriptResult;

/**
 * What every hook adapter promises, as the stack sees it: a refusal's message reaches the caller,
 * deadlines are enforced and reported, filters chain, after-points are never fatal, and a relay
 * that cannot be reached follows its policy. An adapter's test extends this kit and makes the
 * calls the way its stack makes them (the installed script exec'd with the daemon's argv and
 * stdin, through the relay), answering with the exit status, stdout and stderr the daemon reads;
 * after Micrometer's {@code MeterRegistryCompatibilityKit}.
 */
public abstract class HookAdapterCompatibilityKit {
  private HookRegistry registry;

  /** Starts whatever answers calls with the hooks of {@code registry} (a relay server, say). */
  protected abstract void serve(HookRegistry registry) throws Exception;

  /** Stops what {@link #serve} started. */
  protected abstract void stopServing() throws Exception;

  /** A point where hooks decide (a refusal stops the operation). */
  protected abstract HookPoint beforePoint();

  /** A point where hooks may rewrite the document. */
  protected abstract HookPoint filterPoint();

  /** A point after the fact. */
  protected abstract HookPoint afterPoint();

  /** A document the adapter's stack would hand over at these points. */
  protected abstract String document();

  /** Makes the stack's call at {@code point} with {@code document}; what the daemon reads. */
  protected abstract ScriptResult call(HookPoint point, String document) throws Exception;

  /**
   * Makes the stack's call at {@code point} through a client installed with {@code policy} for
   * a relay that cannot be reached.
   */
  protected abstract ScriptResult callUnreachable(HookPoint point, UnreachablePolicy policy)
      throws Exception;

  /**
   * The document the first hook at {@link #filterPoint()} receives: {@link #document()} by
   * default. An adapter whose filter starts without one (Xen's block.add, where the hooks supply
   * the device) answers empty.
   */
  protected Optional<String> filterInput() {
    return Optional.of(document());
  }

  /**
   * What the kit's filter hook {@code hook} ({@code "first"}, then {@code "second"}) answers when
   * it receives {@code received}: by default that document with a marker appended. An adapter
   * whose document has a form of its own (a device path) answers two distinct valid documents,
   * the second only when it received the first's, so that the chain is still what is tested.
   */
  protected String rewrite(Optional<String> received, String hook) {
    return received.orElseThrow(() -> new AssertionError("the filter hook '" + hook
        + "' received no document")) + "<!-- " + hook + " -->";
  }

  /** The document the daemon takes from an answered filter call: by default its stdout. */
  protected String answeredDocument(ScriptResult r) throws Exception {
    return r.stdout().strip();
  }

  /**
   * Checks what the daemon reads of an after-point call at which hooks failed: by default exit 0.
   * An adapter whose daemon reads a failed after-call as a logged error and goes on anyway
   * (libxl's remove) overrides it with what that daemon reads.
   */
  protected void assertAfterPointFailuresDoNotStop(ScriptResult r) throws Exception {
    assertEquals(0, r.exitCode(), "after the fact nothing can be stopped: " + r.stderr());
  }

  @BeforeEach
  void startServing() throws Exception {
    registry = HookRegistry.create();
    serve(registry);
  }

  @AfterEach
  void stop() throws Exception {
    stopServing();
    registry.close();
  }

  @Test
  void aRefusalsMessageReachesTheCaller() throws Exception {
    registry.hook(beforePoint()).name("kit-policy")
        .register(c -> Verdict.refuse("the kit refuses this guest"));
    ScriptResult r = call(beforePoint(), document());
    assertNotEquals(0, r.exitCode(), "a refusal stops the operation");
    assertTrue(r.stderr().contains("the kit refuses this guest"), r.stderr());
  }

  @Test
  void aHookOverItsDeadlineRefusesInTimeSayingSo() throws Exception {
    registry.hook(beforePoint()).name("kit-slow").deadline(Duration.ofMillis(300))
        .register(c -> {
          Thread.sleep(20_000);
          return Verdict.proceed();
        });
    long t0 = System.nanoTime();
    ScriptResult r = call(beforePoint(), document());
    assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(10)) < 0,
        "answered long before the hook would have");
    assertNotEquals(0, r.exitCode());
    assertTrue(r.stderr().contains("kit-slow") && r.stderr().contains("deadline"), r.stderr());
  }

  @Test
  void filtersChainInOrderAndTheLastDocumentIsAnswered() throws Exception {
    registry.hook(filterPoint()).name("kit-second").priority(20)
        .register(c -> Verdict.rewrite(rewrite(c.document(), "second")));
    registry.hook(filterPoint()).name("kit-first").priority(10)
        .register(c -> Verdict.rewrite(rewrite(c.document(), "first")));
    ScriptResult r = call(filterPoint(), document());
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals(rewrite(Optional.of(rewrite(filterInput(), "first")), "second"),
        answeredDocument(r));
  }

  @Test
  void anAfterPointIsNeverFatal() throws Exception {
    registry.hook(afterPoint()).name("kit-throws").register(c -> {
      throw new IllegalStateException("the kit's hook broke");
    });
    registry.hook(afterPoint()).name("kit-refuses").register(c -> Verdict.refuse("too late"));
    AtomicBoolean lastRan = new AtomicBoolean();
    registry.hook(afterPoint()).name("kit-last").priority(100).register(c -> {
      lastRan.set(true);
      return Verdict.proceed();
    });
    ScriptResult r = call(afterPoint(), document());
    assertTrue(lastRan.get(), "every hook runs after the fact, whatever the ones before did");
    assertAfterPointFailuresDoNotStop(r);
  }

  @Test
  void anUnreachableRelayFollowsItsPolicy() throws Exception {
    ScriptResult go = callUnreachable(beforePoint(), UnreachablePolicy.PROCEED);
    assertEquals(0, go.exitCode(), go.stderr());
    assertTrue(go.stderr().contains("warning"), go.stderr());
    ScriptResult no = callUnreachable(beforePoint(), UnreachablePolicy.REFUSE);
    assertNotEquals(0, no.exitCode());
    assertTrue(no.stderr().contains("refusing"), no.stderr());
  }
}
