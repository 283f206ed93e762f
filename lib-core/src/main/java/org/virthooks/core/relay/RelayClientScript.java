package org.virthooks.core.relay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.virthooks.core.hook.DocumentLimit;
import org.virthooks.core.install.ScriptInstaller;
import org.virthooks.core.internal.Checks;

/**
 * The small, fast client that is installed in place of a hook script and relays each call to a
 * {@link RelayServer}: a Perl script that uses only Perl built-ins (Perl is essential on Debian,
 * and without modules it starts in a few milliseconds, where a JVM takes over a hundred). It
 * forwards argv (its own path first), the named environment variables and stdin, prints the
 * answer's stdout and stderr and exits with its code.
 *
 * <p>It fails closed: only a relay that cannot be reached at all (no socket, connection refused,
 * permission denied) is answered by the {@link UnreachablePolicy}. Once connected, every outcome
 * is the server's verdict or, at the calls its {@link DecisionPoints} name, a refusal (exit 1)
 * with a message saying what happened: a reset, a broken pipe, a connection closed without an
 * answer, a truncated or malformed answer, no answer within the timeout. A document on stdin
 * over {@link DocumentLimit} is refused there too, before anything is sent; stdin that does not
 * end within the timeout likewise. At other calls (after-points) those failures follow the
 * policy, as an unreachable relay does.
 *
 * <p>It carries virthooks' marker line; install it with {@link ScriptInstaller}.
 */
public final class RelayClientScript {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private RelayClientScript() {}

  /**
   * The script's text, with every call a decision point.
   *
   * @see #render(Path, UnreachablePolicy, Duration, List, DecisionPoints)
   */
  public static String render(Path socket, UnreachablePolicy policy, Duration timeout,
      List<String> forwardEnv) {
    return render(socket, policy, timeout, forwardEnv, DecisionPoints.allCalls());
  }

  /**
   * The script's text.
   *
   * @param socket the relay server's socket
   * @param policy what to do when the server cannot be reached
   * @param timeout how long to wait for the whole call
   * @param forwardEnv the environment variables to forward
   * @param decisions the calls that wait for a verdict, refused when anything fails
   */
  public static String render(Path socket, UnreachablePolicy policy, Duration timeout,
      List<String> forwardEnv, DecisionPoints decisions) {
    Checks.notNull("socket", socket);
    Checks.notNull("policy", policy);
    Checks.notNull("decisions", decisions);
    long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
    StringBuilder env = new StringBuilder();
    for (String name : forwardEnv) {
      if (!ENV_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not an environment variable name: '" + name + "'");
      }
      env.append(env.length() == 0 ? "" : ", ").append('\'').append(name).append('\'');
    }
    StringBuilder names = new StringBuilder();
    for (String name : decisions.names()) {
      names.append(names.length() == 0 ? "" : ", ").append('\'').append(name).append('\'');
    }
    return "#!/usr/bin/perl\n"
        + ScriptInstaller.marker("relay client") + "\n"
        + "# Relays this hook call to the virthooks relay server; no modules, for a fast start.\n"
        + "# Fails closed: once connected, any failure refuses the calls that wait for a verdict.\n"
        + "my $socket = '" + perlQuote(socket.toAbsolutePath().toString()) + "';\n"
        + "my $policy = '" + (policy == UnreachablePolicy.REFUSE ? "refuse" : "proceed") + "';\n"
        + "my $timeout = " + seconds + ";\n"
        + "my $limit = " + DocumentLimit.MAX_BYTES + ";\n"
        + "my @forward = (" + env + ");\n"
        + "my %decides = map { $_ => 1 } (" + names + ");\n"
        + "my @argv = ($0, @ARGV);\n"
        + "my $decision = " + (decisions.all() ? "1" : "defined $argv[" + decisions.argument()
            + "] && exists $decides{$argv[" + decisions.argument() + "]}") + ";\n"
        + "sub unreachable {\n"
        + "  my ($why) = @_;\n"
        + "  if ($policy eq 'refuse') { print STDERR \"virthooks: $why; refusing\\n\"; exit 1; }\n"
        + "  print STDERR \"virthooks: warning: $why; letting the operation go on\\n\"; exit 0;\n"
        + "}\n"
        + "sub failed {\n"
        + "  my ($why) = @_;\n"
        + "  if ($decision) { print STDERR \"virthooks: $why; refusing\\n\"; exit 1; }\n"
        + "  unreachable($why);\n"
        + "}\n"
        + "my $waiting = 'standard input did not end';\n"
        + "$SIG{PIPE} = 'IGNORE';\n"
        + "$SIG{ALRM} = sub { failed(\"$waiting within $timeout s\") };\n"
        + "alarm $timeout;\n"
        + "my $in = '';\n"
        + "my $size = 0;\n"
        + "if (!-t STDIN) {\n"
        + "  binmode STDIN;\n"
        + "  while (1) {\n"
        + "    my $r = sysread(STDIN, my $buf, 1048576);\n"
        + "    failed(\"cannot read standard input: $!\") unless defined $r;\n"
        + "    last if $r == 0;\n"
        + "    $size += $r;\n"
        // over the limit: keep reading to the end, so the writer sees our answer, not EPIPE
        + "    $in .= $buf if $size <= $limit;\n"
        + "    $in = '' if $size > $limit;\n"
        + "  }\n"
        + "}\n"
        + "failed(\"the document on standard input is $size bytes, over virthooks' limit of \"\n"
        + "  . \"$limit bytes (32 MiB)\") if $size > $limit;\n"
        + "$waiting = \"the relay at $socket accepted no connection\";\n"
        + "socket(my $s, 1, 1, 0) or failed(\"cannot open a Unix socket: $!\");\n"
        + "connect($s, pack('S a108', 1, $socket))\n"
        + "  or unreachable(\"cannot reach the relay at $socket: $!\");\n"
        + "$waiting = \"the relay at $socket did not answer\";\n"
        + "sub send_all {\n"
        + "  my ($data) = @_;\n"
        + "  my $off = 0;\n"
        + "  while ($off < length $data) {\n"
        + "    my $w = syswrite($s, $data, length($data) - $off, $off);\n"
        + "    failed(\"cannot write to the relay: $!\") unless defined $w;\n"
        + "    $off += $w;\n"
        + "  }\n"
        + "}\n"
        + "my @names = grep { exists $ENV{$_} } @forward;\n"
        + "send_all('VHR1' . pack('N', scalar @argv) . join('', map { pack('N/a*', $_) } @argv)\n"
        + "  . pack('N', scalar @names)\n"
        + "  . join('', map { pack('N/a*', $_) . pack('N/a*', $ENV{$_}) } @names)\n"
        + "  . pack('N', length $in));\n"
        + "send_all($in);\n"
        + "shutdown($s, 1);\n"
        + "my $resp = '';\n"
        + "while (1) {\n"
        + "  my $r = sysread($s, my $buf, 65536);\n"
        + "  failed(\"cannot read from the relay: $!\") unless defined $r;\n"
        + "  last if $r == 0;\n"
        + "  $resp .= $buf;\n"
        + "}\n"
        + "alarm 0;\n"
        + "failed('the relay closed the connection without an answer') if length($resp) == 0;\n"
        + "failed('the relay sent a malformed answer') if length($resp) < 16 || substr($resp, 0, 4) ne 'VHS1';\n"
        + "my ($code, $ol) = unpack('x4 l> N', $resp);\n"
        + "failed('the relay sent a truncated answer') if length($resp) < 16 + $ol;\n"
        + "my $el = unpack('N', substr($resp, 12 + $ol, 4));\n"
        + "failed('the relay sent a truncated answer') if length($resp) != 16 + $ol + $el;\n"
        + "my $out = substr($resp, 12, $ol);\n"
        + "my $err = substr($resp, 16 + $ol, $el);\n"
        + "binmode STDOUT; binmode STDERR;\n"
        + "print STDOUT $out; print STDERR $err;\n"
        + "exit($code < 0 || $code > 255 ? 1 : $code);\n";
  }

  private static String perlQuote(String s) {
    return s.replace("\\", "\\\\").replace("'", "\\'");
  }
}
