package org.virthooks.core.install;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;
import org.virthooks.core.internal.Checks;

/**
 * Installs and removes the hook scripts virthooks writes, by one rule set for every adapter:
 * each script carries a line starting with {@link #MARKER_PREFIX} among its first three lines;
 * a file without it is never replaced or removed (there is deliberately no switch that would);
 * a file with it is replaced whatever it says, since virthooks wrote it. Writes are atomic (a
 * daemon that runs the script at that moment sees the old text or the new, never part of one),
 * leave the script at mode 0755, and do nothing when the same text is already there.
 */
public final class ScriptInstaller {
  /** How every script virthooks writes starts one of its first three lines. */
  public static final String MARKER_PREFIX = "# Written by virthooks";

  private static final int MARKER_LINES = 3;
  // a shebang line is at most 256 bytes on Linux: the first lines fit well within this
  private static final int HEAD_BYTES = 4096;
  private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rwxr-xr-x");
  // a leading dot is kept for our temporary files, which installs leave in the same directory
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

  private ScriptInstaller() {}

  /** The marker line for a script of kind {@code what}, e.g. "relay client". */
  public static String marker(String what) {
    Checks.notBlank("what", what);
    return MARKER_PREFIX + " (" + what + "); installers rewrite it.";
  }

  /**
   * The path of the script {@code name} in {@code dir}.
   *
   * @throws IllegalArgumentException when {@code name} is not a plain file name
   */
  public static Path scriptIn(Path dir, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("script name must be a plain file name (letters, "
          + "digits, '.', '_', '-', not starting with '.'): '" + name + "'");
    }
    return dir.resolve(name);
  }

  /**
   * Writes {@code text} to {@code target} (creating its directory), unless it is there already.
   *
   * @throws IOException when writing fails, or {@code target} exists and virthooks did not
   *     write it
   * @throws IllegalArgumentException when {@code text} lacks the marker: such a script could
   *     never be replaced or removed again
   */
  public static InstallResult install(Path target, String text) throws IOException {
    Checks.notNull("target", target);
    if (text == null || !marked(text)) {
      throw new IllegalArgumentException("a script virthooks installs must carry a line starting '"
          + MARKER_PREFIX + "' among its first " + MARKER_LINES + " lines");
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      if (!isOurs(target)) {
        throw new IOException(target + " exists and was not written by virthooks (no line "
            + "starting '" + MARKER_PREFIX + "' at its top); not replacing it: choose another "
            + "name, or move it away yourself");
      }
      if (Arrays.equals(Files.readAllBytes(target), bytes)
          && Files.getPosixFilePermissions(target).equals(MODE)) {
        return new InstallResult(target, false, target + " is already installed");
      }
    }
    writeAtomically(target, bytes);
    return new InstallResult(target, true, "installed " + target);
  }

  /**
   * Removes {@code target} if virthooks wrote it.
   *
   * @throws IOException when removing fails, or virthooks did not write {@code target}
   */
  public static InstallResult uninstall(Path target) throws IOException {
    Checks.notNull("target", target);
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return new InstallResult(target, false, target + " is not installed");
    }
    if (!isOurs(target)) {
      throw new IOException(target + " was not written by virthooks (no line starting '"
          + MARKER_PREFIX + "' at its top); not removing it");
    }
    Files.delete(target);
    return new InstallResult(target, true, "removed " + target);
  }

  /**
   * True when {@code file} is a regular file (not a link: virthooks writes none) with the marker
   * among its first three lines.
   */
  public static boolean isOurs(Path file) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      // Latin-1 decodes any bytes: a binary file is simply not ours, never an error
      return marked(new String(in.readNBytes(HEAD_BYTES), StandardCharsets.ISO_8859_1));
    }
  }

  private static boolean marked(String text) {
    return text.lines().limit(MARKER_LINES).anyMatch(l -> l.startsWith(MARKER_PREFIX));
  }

  private static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    // same directory, so that the rename is atomic; created 0600, and made executable only once
    // complete, because libvirt runs every executable in <driver>.d, hidden files too
    Path tmp = Files.createTempFile(dir, ".virthooks-", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        // on disk before the rename: after a crash the name holds the old text or the new one
        ch.force(true);
      }
      Files.setPosixFilePermissions(tmp, MODE);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
