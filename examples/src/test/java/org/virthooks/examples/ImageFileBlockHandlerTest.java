package org.virthooks.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.hotplug.BlockDevice;
import org.virthooks.core.hotplug.HotplugAnswer;
import org.virthooks.core.hotplug.HotplugException;
import org.virthooks.core.hotplug.HotplugPhase;
import org.virthooks.core.hotplug.HotplugRequest;

/** Real loop devices (the tests run as root): prepare, add, remove as the runner calls them. */
class ImageFileBlockHandlerTest {
  @TempDir
  Path dir;

  private final ImageFileBlockHandler handler = new ImageFileBlockHandler(4L << 20);

  @Test
  void prepareCreatesTheImageAddAttachesItRemoveDetachesIt() throws Exception {
    Path image = dir.resolve("guest.img");
    String params = image.toString();
    HotplugAnswer.call(handler, HotplugRequest.of(HotplugPhase.PREPARE, params));
    assertThat(Files.size(image)).isEqualTo(4L << 20);
    BlockDevice dev = HotplugAnswer.call(handler, HotplugRequest.of(HotplugPhase.ADD, params))
        .device().orElseThrow();
    try {
      assertThat(dev.path().toString()).startsWith("/dev/loop");
      assertThat(dev.major()).isEqualTo(7); // the loop driver's major number
      assertThat(loopsOf(image)).containsExactly(dev.path().toString());
    } finally {
      HotplugAnswer.call(handler, HotplugRequest.of(HotplugPhase.REMOVE, params));
    }
    assertThat(loopsOf(image)).isEmpty();
    // remove after a failed add (nothing attached) is harmless
    HotplugAnswer.call(handler, HotplugRequest.of(HotplugPhase.REMOVE, params));
  }

  @Test
  void badTargetsAreClearFailures() {
    assertThatThrownBy(() -> handler.add(HotplugRequest.of(HotplugPhase.ADD, "relative.img")))
        .isInstanceOf(HotplugException.class).hasMessageContaining("absolute");
    assertThatThrownBy(() -> handler.add(HotplugRequest.of(HotplugPhase.ADD,
        dir.resolve("missing.img").toString()))).hasMessageContaining("not an image file");
    assertThatThrownBy(() -> handler.add(HotplugRequest.of(HotplugPhase.ADD, null)))
        .hasMessageContaining("no params");
  }

  private static java.util.List<String> loopsOf(Path image) throws Exception {
    Process p = new ProcessBuilder("losetup", "-j", image.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.lines().filter(l -> l.startsWith("/dev/")).map(l -> l.substring(0, l.indexOf(':')))
        .toList();
  }
}
