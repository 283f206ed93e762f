package org.virthooks.xen;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.virthooks.core.script.ScriptResult;

/** Runs an installed hotplug script as libxl does: argv, environment, stdin from /dev/null. */
final class LibxlExec {
  private LibxlExec() {}

  /** {@code script action} for the vbd backend {@code backend} of the xenstore at {@code xs}. */
  static ScriptResult block(Path script, String action, String backend, Path xs) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(List.of(script.toString(), action))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = pb.environment();
    env.put("script", script.toString());
    env.put("XENBUS_TYPE", "vbd");
    env.put("XENBUS_PATH", backend);
    env.put("XENBUS_BASE_PATH", "backend");
    env.put("XENSTORED_PATH", xs.toString());
    Process p = pb.start();
    // read while it runs: a script that fills a pipe would otherwise never end
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> read(p, false));
    byte[] err = read(p, true);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(script + " " + action + " did not end within 60 s");
    }
    return new ScriptResult(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8), false);
  }

  private static byte[] read(Process p, boolean err) {
    try {
      return (err ? p.getErrorStream() : p.getInputStream()).readAllBytes();
    } catch (java.io.IOException e) {
      return new byte[0];
    }
  }
}
