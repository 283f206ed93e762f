package org.virthooks.core.hotplug;

import java.nio.file.Path;
import java.util.Locale;
import org.virthooks.core.internal.Checks;

/**
 * A block device a hotplug handler hands back: its path and its device numbers.
 *
 * @param path the device node, such as {@code /dev/loop3}
 * @param major the major device number, 0 to 4095 (Linux's 12 bits)
 * @param minor the minor device number, 0 to 1048575 (Linux's 20 bits)
 */
public record BlockDevice(Path path, int major, int minor) {
  /** Validates the fields. */
  public BlockDevice {
    Checks.notNull("path", path);
    Checks.inRange("major", major, 0, 0xfff);
    Checks.inRange("minor", minor, 0, 0xfffff);
  }

  /** A device from its path and numbers. */
  public static BlockDevice of(String path, int major, int minor) {
    return new BlockDevice(Path.of(Checks.notBlank("path", path)), major, minor);
  }

  /**
   * A device from Linux's combined {@code dev_t}, as the {@code unix:rdev} file attribute gives it
   * (glibc's {@code gnu_dev_major}/{@code gnu_dev_minor} encoding).
   */
  public static BlockDevice fromRdev(Path path, long rdev) {
    int major = (int) (((rdev >>> 32) & 0xfffff000L) | ((rdev >>> 8) & 0xfffL));
    int minor = (int) (((rdev >>> 12) & 0xffffff00L) | (rdev & 0xffL));
    return new BlockDevice(path, major, minor);
  }

  /** {@code major:minor} in hexadecimal, as blkback reads {@code physical-device}: {@code fe:0}. */
  public String majorMinorHex() {
    return Integer.toHexString(major).toLowerCase(Locale.ROOT) + ":"
        + Integer.toHexString(minor).toLowerCase(Locale.ROOT);
  }

  /** {@code major:minor} in decimal, as {@code ls -l} and sysfs show it: {@code 254:0}. */
  public String majorMinor() {
    return major + ":" + minor;
  }
}
