package org.virthooks.examples;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.virthooks.core.hotplug.BlockDevice;
import org.virthooks.core.hotplug.HotplugException;
import org.virthooks.core.hotplug.HotplugHandler;
import org.virthooks.core.hotplug.HotplugRequest;

/**
 * A Xen block hotplug handler backed by a loop device: {@code params} names an image file, which
 * {@link #prepare} creates (sparse, of a configured size) when it does not exist yet, {@link #add}
 * attaches to a free loop device, and {@link #remove} detaches again. Installed with
 * {@code virthooks xen install} and found by ServiceLoader, it serves {@code script=} in a diskspec.
 */
public final class ImageFileBlockHandler implements HotplugHandler {
  private final long newImageBytes;

  /** A handler creating missing images of 1 GiB. */
  public ImageFileBlockHandler() {
    this(1L << 30);
  }

  /** A handler creating missing images of {@code newImageBytes}. */
  public ImageFileBlockHandler(long newImageBytes) {
    this.newImageBytes = newImageBytes;
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public void prepare(HotplugRequest r) throws HotplugException {
    Path image = image(r);
    if (Files.exists(image)) {
      return;
    }
    try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      ch.truncate(newImageBytes);
      ch.position(newImageBytes - 1).write(java.nio.ByteBuffer.wrap(new byte[1]));
    } catch (IOException e) {
      throw new HotplugException("cannot create image " + image + ": " + e.getMessage(), e);
    }
  }

  @Override
  public BlockDevice add(HotplugRequest r) throws HotplugException {
    Path image = image(r);
    if (!Files.isRegularFile(image)) {
      throw new HotplugException(image + " is not an image file");
    }
    String loop = run(r.readOnly() ? new String[] {"losetup", "-f", "--show", "-r", image.toString()}
        : new String[] {"losetup", "-f", "--show", image.toString()}).strip();
    try {
      Object rdev = Files.getAttribute(Path.of(loop), "unix:rdev");
      return BlockDevice.fromRdev(Path.of(loop), ((Number) rdev).longValue());
    } catch (IOException | UnsupportedOperationException e) {
      run("losetup", "-d", loop);
      throw new HotplugException("cannot read the device numbers of " + loop, e);
    }
  }

  @Override
  public void remove(HotplugRequest r) throws HotplugException {
    Path image = image(r);
    // remove also follows a failed add: detach whatever is attached, nothing if none is
    for (String line : run("losetup", "-j", image.toString()).split("\n")) {
      if (line.startsWith("/dev/")) {
        run("losetup", "-d", line.substring(0, line.indexOf(':')));
      }
    }
  }

  private static Path image(HotplugRequest r) throws HotplugException {
    String p = r.params().orElseThrow(() -> new HotplugException("no params: which image?"));
    if (!p.startsWith("/")) {
      throw new HotplugException("params must be an absolute path: '" + p + "'");
    }
    return Path.of(p);
  }

  private static String run(String... cmd) throws HotplugException {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new HotplugException(String.join(" ", cmd) + " did not finish in 20 s");
      }
      if (p.exitValue() != 0) {
        throw new HotplugException(String.join(" ", cmd) + " failed: " + out.strip());
      }
      return out;
    } catch (IOException e) {
      throw new HotplugException("cannot run " + cmd[0] + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HotplugException("interrupted while running " + cmd[0]);
    }
  }
}
