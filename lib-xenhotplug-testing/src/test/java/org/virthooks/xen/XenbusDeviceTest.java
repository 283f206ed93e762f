package org.virthooks.xen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.xen.testing.XenstoreServer;

/**
 * The xenbus-device fallback: {@code XENSTORED_PATH} naming a character device, opened as a file
 * and spoken to with the same framing. There is no /dev/xen/xenbus without Xen, so socat stands
 * in for it: a raw pseudo-terminal (a real character device) wired to the in-memory server.
 */
@Timeout(60)
class XenbusDeviceTest {
  @TempDir Path dir;
  XenstoreServer server;
  Process socat;

  @BeforeEach
  void start() throws Exception {
    server = XenstoreServer.start(dir.resolve("xs.sock"));
    Path link = dir.resolve("xenbus");
    socat = new ProcessBuilder("socat", "PTY,link=" + link + ",raw,echo=0",
        "UNIX-CONNECT:" + server.socket()).redirectErrorStream(true).start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(link) && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    assertThat(link).exists();
  }

  @AfterEach
  void stop() throws Exception {
    socat.destroy();
    socat.waitFor(5, TimeUnit.SECONDS);
    server.close();
  }

  @Test
  void aCharacterDeviceIsOpenedAsAFileAndSpeaksTheSameProtocol() throws Exception {
    Path dev = dir.resolve("xenbus");
    XenstoreAddress address = XenstoreAddress.resolve(Map.of("XENSTORED_PATH", dev.toString()));
    assertThat(address.device()).as("a pty is a character device").isTrue();
    try (XenstoreClient c = XenstoreClient.open(Map.of("XENSTORED_PATH", dev.toString()))) {
      c.write("/local/domain/0/backend/vbd/3/51712/params", "/dev/vg0/guest");
      assertThat(c.read("/local/domain/0/backend/vbd/3/51712/params")).isEqualTo("/dev/vg0/guest");
      assertThat(c.directory("/local/domain/0/backend/vbd/3")).isEqualTo(List.of("51712"));
    }
    assertThat(server.read("/local/domain/0/backend/vbd/3/51712/params")).contains("/dev/vg0/guest");
  }
}
