package org.virthooks.xen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.virthooks.core.hotplug.BlockDevice;
import org.virthooks.core.hotplug.HotplugException;

/** Block devices from the file system: numbers read from {@code unix:rdev}, and checked. */
public final class BlockDevices {
  private static final int S_IFMT = 0170000;
  private static final int S_IFBLK = 0060000;

  private BlockDevices() {}

  /** True when {@code path} (symbolic links followed) is a block device node. */
  public static boolean isBlockDevice(Path path) {
    try {
      return ((Integer) Files.getAttribute(path, "unix:mode") & S_IFMT) == S_IFBLK;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * The block device at {@code path}, its numbers read from the node.
   *
   * @throws HotplugException naming the path when it does not exist or is not a block device
   */
  public static BlockDevice inspect(Path path) throws HotplugException {
    if (!Files.exists(path)) {
      throw new HotplugException(path + " does not exist.");
    }
    if (!isBlockDevice(path)) {
      throw new HotplugException(path + " is not a block device.");
    }
    try {
      long rdev = (Long) Files.getAttribute(path, "unix:rdev");
      return BlockDevice.fromRdev(path, rdev);
    } catch (IOException e) {
      throw new HotplugException("cannot read the device numbers of " + path + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Checks what a handler returned: the path must be a block device whose numbers are the ones
   * claimed (a handler that computed them itself may be wrong; blkback would open another disk).
   */
  public static BlockDevice verify(BlockDevice claimed) throws HotplugException {
    BlockDevice real = inspect(claimed.path());
    if (real.major() != claimed.major() || real.minor() != claimed.minor()) {
      throw new HotplugException("hotplug handler returned " + claimed.path() + " as "
          + claimed.majorMinor() + " but the node is " + real.majorMinor());
    }
    return claimed;
  }

  /** {@code path} with symbolic links resolved, as the stock script's {@code readlink -f}. */
  static Path canonical(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }

  static boolean isRegularFile(Path p) {
    return Files.isRegularFile(p);
  }

  static boolean exists(Path p) {
    return Files.exists(p) || Files.exists(p, LinkOption.NOFOLLOW_LINKS);
  }
}
