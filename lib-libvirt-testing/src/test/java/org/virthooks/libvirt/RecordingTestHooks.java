package org.virthooks.libvirt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.virthooks.core.hook.HookCall;
import org.virthooks.core.hook.HookPhase;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.hook.Verdict;

/**
 * The hooks the real-libvirtd tests install, in both modes: found by ServiceLoader in the fresh
 * JVM, registered directly in the relay server. Controlled by files in the directory named by
 * the system property {@code virthooks.test.control} (nothing happens without it):
 * {@code calls.log} gets one line per call ({@code mode point object uuid extra});
 * {@code refuse-<op>-<mode>} refuses with its content; {@code hang-<op>-<mode>} hangs;
 * {@code rewrite-<op>-<mode>} appends its content to the domain's description (filter points).
 */
public final class RecordingTestHooks implements LibvirtHookProvider {
  @Override
  public void register(HookRegistry hooks) {
    for (HookPoint p : LibvirtHookPoints.ALL) {
      hooks.register(p, "recording-test-hook", this::apply);
    }
  }

  Verdict apply(HookCall c) throws IOException, InterruptedException {
    String control = System.getProperty("virthooks.test.control");
    if (control == null) {
      return Verdict.proceed();
    }
    Path dir = Path.of(control);
    String mode = System.getProperty("virthooks.test.mode", "relay");
    String op = c.point().operation();
    String uuid = c.domain().flatMap(d -> d.uuid()).map(Object::toString).orElse("-");
    String line = mode + " " + c.point() + " " + c.attribute("object").orElse("-") + " " + uuid
        + " " + c.attribute("extra").orElse("-") + "\n";
    Files.writeString(dir.resolve("calls.log"), line, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    if (Files.exists(dir.resolve("hang-" + op + "-" + mode))) {
      Thread.sleep(120_000);
    }
    Path refuse = dir.resolve("refuse-" + op + "-" + mode);
    if (Files.exists(refuse)) {
      return Verdict.refuse(Files.readString(refuse).strip());
    }
    Path rewrite = dir.resolve("rewrite-" + op + "-" + mode);
    if (c.point().phase() == HookPhase.FILTER && Files.exists(rewrite)) {
      // appended to what an earlier script in the chain wrote, so both modes show
      String doc = c.document().orElseThrow();
      String text = Files.readString(rewrite).strip();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile(
          "(?s)<description>(.*?)</description>").matcher(doc);
      String before = m.find() ? m.group(1) + " " : "";
      doc = doc.replaceAll("(?s)\\s*<description>.*?</description>", "");
      return Verdict.rewrite(doc.replaceFirst("</name>", "</name>\n  <description>" + before
          + text + "</description>"));
    }
    return Verdict.proceed();
  }
}
