package org.virthooks.core.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.virthooks.core.internal.Checks;

/**
 * The small, fast client that is installed in place of a hook script and relays each call to a
 * {@link RelayServer}: a Perl script that uses only Perl built-ins (Perl is essential on Debian,
 * and without modules it starts in a few milliseconds, where a JVM takes over a hundred). It
 * forwards argv (its own path first), the named environment variables and stdin, prints the
 * answer's stdout and stderr and exits with its code; an unreachable or silent server is answered
 * by the {@link UnreachablePolicy}.
 */
public final class RelayClientScript {
  /** The line that marks a file as written by virthooks, so installers never overwrite others' scripts. */
  public static final String MARKER = "# Written by virthooks (relay client); installers rewrite it.";
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private RelayClientScript() {}

  /**
   * The script's text.
   *
   * @param socket the relay server's socket
   * @param policy what to do when the server is unreachable
   * @param timeout how long to wait for the whole call
   * @param forwardEnv the environment variables to forward
   */
  public static String render(Path socket, UnreachablePolicy policy, Duration timeout,
      List<String> forwardEnv) {
    Checks.notNull("socket", socket);
    Checks.notNull("policy", policy);
    long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
    StringBuilder env = new StringBuilder();
    for (String name : forwardEnv) {
      if (!ENV_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not an environment variable name: '" + name + "'");
      }
      env.append(env.length() == 0 ? "" : ", ").append('\'').append(name).append('\'');
    }
    return "#!/usr/bin/perl\n"
        + MARKER + "\n"
        + "# Relays this hook call to the virthooks relay server; no modules, for a fast start.\n"
        + "my $socket = '" + perlQuote(socket.toAbsolutePath().toString()) + "';\n"
        + "my $policy = '" + (policy == UnreachablePolicy.REFUSE ? "refuse" : "proceed") + "';\n"
        + "my $timeout = " + seconds + ";\n"
        + "my @forward = (" + env + ");\n"
        + "sub give_up {\n"
        + "  my ($why) = @_;\n"
        + "  if ($policy eq 'refuse') { print STDERR \"virthooks: $why; refusing\\n\"; exit 1; }\n"
        + "  print STDERR \"virthooks: warning: $why; letting the operation go on\\n\"; exit 0;\n"
        + "}\n"
        + "$SIG{PIPE} = 'IGNORE';\n"
        + "$SIG{ALRM} = sub { give_up(\"relay at $socket did not answer within $timeout s\") };\n"
        + "alarm $timeout;\n"
        + "my $in = '';\n"
        + "if (!-t STDIN) { local $/; binmode STDIN; $in = <STDIN>; $in = '' unless defined $in; }\n"
        + "my @argv = ($0, @ARGV);\n"
        + "my $req = 'VHR1' . pack('N', scalar @argv) . join('', map { pack('N/a*', $_) } @argv);\n"
        + "my @names = grep { exists $ENV{$_} } @forward;\n"
        + "$req .= pack('N', scalar @names)\n"
        + "  . join('', map { pack('N/a*', $_) . pack('N/a*', $ENV{$_}) } @names);\n"
        + "$req .= pack('N/a*', $in);\n"
        + "socket(my $s, 1, 1, 0) or give_up(\"cannot open a Unix socket: $!\");\n"
        + "connect($s, pack('S a108', 1, $socket)) or give_up(\"cannot reach the relay at $socket: $!\");\n"
        + "my $off = 0;\n"
        + "while ($off < length $req) {\n"
        + "  my $w = syswrite($s, $req, length($req) - $off, $off);\n"
        + "  give_up(\"cannot write to the relay: $!\") unless defined $w;\n"
        + "  $off += $w;\n"
        + "}\n"
        + "shutdown($s, 1);\n"
        + "my $resp = '';\n"
        + "while (1) {\n"
        + "  my $r = sysread($s, my $buf, 65536);\n"
        + "  give_up(\"cannot read from the relay: $!\") unless defined $r;\n"
        + "  last if $r == 0;\n"
        + "  $resp .= $buf;\n"
        + "}\n"
        + "alarm 0;\n"
        + "give_up('the relay sent no answer') if length($resp) < 16 || substr($resp, 0, 4) ne 'VHS1';\n"
        + "my ($code, $ol) = unpack('x4 l> N', $resp);\n"
        + "give_up('the relay sent a truncated answer') if length($resp) < 16 + $ol;\n"
        + "my $el = unpack('N', substr($resp, 12 + $ol, 4));\n"
        + "give_up('the relay sent a truncated answer') if length($resp) != 16 + $ol + $el;\n"
        + "my $out = substr($resp, 12, $ol);\n"
        + "my $err = substr($resp, 16 + $ol, $el);\n"
        + "binmode STDOUT; binmode STDERR;\n"
        + "print STDOUT $out; print STDERR $err;\n"
        + "exit($code < 0 || $code > 255 ? 1 : $code);\n";
  }

  /**
   * Writes {@code text} to {@code target} as an executable (mode 0755), atomically, unless a file
   * that virthooks did not write is there.
   *
   * @throws IOException when writing fails, or {@code target} is someone else's script
   */
  public static void install(Path target, String text) throws IOException {
    if (Files.exists(target) && !isOurs(target)) {
      throw new IOException(target + " exists and was not written by virthooks; not overwriting it");
    }
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".virthooks-", ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** True when {@code file} carries virthooks' marker in its first lines. */
  public static boolean isOurs(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.limit(3).anyMatch(l -> l.startsWith("# Written by virthooks"));
    } catch (java.io.UncheckedIOException e) {
      return false; // not text: certainly not ours
    }
  }

  private static String perlQuote(String s) {
    return s.replace("\\", "\\\\").replace("'", "\\'");
  }
}
