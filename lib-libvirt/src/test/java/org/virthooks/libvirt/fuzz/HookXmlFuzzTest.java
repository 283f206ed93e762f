package org.virthooks.libvirt.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import jakarta.xml.bind.JAXBException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLStreamException;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.libvirt.DomainDescription;
import org.virthooks.libvirt.LibvirtHookContext;
import org.virthooks.libvirt.LibvirtHookRunner;
import org.virthooks.libvirt.NetworkHookData;
import org.virthooks.libvirt.internal.HookXml;
import org.virthooks.libvirt.internal.HookXml.BadXml;

/**
 * Coverage-guided fuzzing of what libvirt hands a hook script on stdin: arbitrary bytes, decoded
 * as the runner decodes them, through {@link HookXml#domain}, {@link HookXml#network} and
 * {@link LibvirtHookRunner#parse} for a qemu and a network call. Invariants: {@link BadXml} is
 * the only exception (one line, not "too large" under the limit, and hiding no runtime exception
 * in its causes), what is read has a name and no null parts, and the runner's parse agrees with
 * the reader's (the same description, or the same error: a second read of a document is not
 * changed by the first, failed or not). A 10 s hang and an OutOfMemoryError in 512 MiB are
 * findings too (the pom's fuzz executions). Seeds:
 * {@code src/test/resources/org/virthooks/libvirt/fuzz/HookXmlFuzzTestInputs/hookDocument}.
 *
 * <p>{@code mvn verify} fuzzes it for {@code fuzz.seconds} (20 s; the {@code fuzz} execution in
 * this module's pom), {@code lib-libvirt/fuzz.sh SECONDS} longer; the 5 minutes below apply when
 * it is fuzzed otherwise (an IDE with {@code JAZZER_FUZZ=1}). Without {@code JAZZER_FUZZ} it runs
 * in regression mode on its seeds, among them one {@code regression-*} input per bug found.
 */
class HookXmlFuzzTest {
  private static final LibvirtHookRunner RUNNER =
      LibvirtHookRunner.of(HookRegistry.create(), event -> { });

  @LibvirtXmlDictionary
  @FuzzTest(maxDuration = "5m")
  void hookDocument(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Optional<DomainDescription> domain = Optional.empty();
    String domainError = null;
    try {
      domain = Optional.of(check(HookXml.domain(text)));
    } catch (BadXml e) {
      domainError = checkError(e);
    }
    Optional<NetworkHookData> network = Optional.empty();
    String networkError = null;
    try {
      network = Optional.of(check(HookXml.network(text)));
    } catch (BadXml e) {
      networkError = checkError(e);
    }
    boolean blank = text.isBlank();
    LibvirtHookContext qemu = parse("/etc/libvirt/hooks/qemu", input);
    check(qemu.domain().equals(domain) || blank, "the runner read the domain otherwise: "
        + qemu.domain() + " / " + domain, null);
    check(qemu.parseError().equals(Optional.ofNullable(blank ? "no document on stdin"
        : domainError)), "the runner's parse error differs: " + qemu.parseError(), null);
    LibvirtHookContext net = parse("/etc/libvirt/hooks/network", input);
    check(net.network().equals(network) || blank, "the runner read the network otherwise: "
        + net.network() + " / " + network, null);
    check(net.parseError().equals(Optional.ofNullable(blank ? "no document on stdin"
        : networkError)), "the runner's network parse error differs: " + net.parseError(), null);
  }

  private static LibvirtHookContext parse(String script, byte[] input) {
    ScriptInvocation call = new ScriptInvocation(List.of(script, "vm1", "start", "begin", "-"),
        Map.of(), input);
    return RUNNER.parse(call).context(LibvirtHookContext.class)
        .orElseThrow(() -> new AssertionError("a call without its context"));
  }

  private static DomainDescription check(DomainDescription d) {
    check(d.name() != null && !d.name().isBlank(), "a domain without a name: " + d, null);
    check(d.type() != null && d.uuid() != null && d.description() != null
        && d.disks().stream().allMatch(x -> x != null && x.source() != null)
        && d.interfaces().stream().allMatch(x -> x != null && x.mac() != null)
        && d.otherDevices().stream().allMatch(x -> x != null), "null parts in " + d, null);
    return d;
  }

  private static NetworkHookData check(NetworkHookData n) {
    check(n.network() != null && !n.network().isBlank(), "a network without a name: " + n, null);
    check(n.uuid() != null && n.bridge() != null && n.port() != null, "null parts in " + n, null);
    return n;
  }

  /**
   * A refusal is what the runner can pass on: one line of text, "too large" only over the limit
   * (inputs here are far below it), and caused only by the parser's and the binder's checked
   * exceptions: a runtime exception or an error in the chain is a bug that HookXml hid.
   */
  private static String checkError(BadXml e) {
    String m = e.getMessage();
    check(m != null && !m.isBlank() && m.indexOf('\n') < 0 && m.indexOf('\r') < 0,
        "a parse error that is not one line: " + m, e);
    check(!e.tooLarge(), "too large under the limit", e);
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      check(t instanceof XMLStreamException || t instanceof JAXBException
          || t instanceof IOException || t instanceof org.xml.sax.SAXException,
          "parse error caused by " + t.getClass().getName() + ": a bug wrapped as a parse error",
          e);
    }
    return m;
  }

  private static void check(boolean ok, String what, Throwable cause) {
    if (!ok) {
      throw new AssertionError(what, cause);
    }
  }
}
