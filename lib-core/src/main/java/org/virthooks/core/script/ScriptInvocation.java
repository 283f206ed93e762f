package org.virthooks.core.script;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.virthooks.core.internal.Checks;

/**
 * An exec'd script call as data: argument vector (the program first), the environment variables
 * that matter, and the bytes on standard input. The same shape serves a script virthooks runs
 * and a hook script a daemon runs that virthooks answers.
 *
 * @param argv the program and its arguments, at least the program
 * @param env environment variables to pass or that were passed, never null
 * @param stdin standard input, never null (copied; do not change the array you passed)
 */
public record ScriptInvocation(List<String> argv, Map<String, String> env, byte[] stdin) {
  private static final byte[] EMPTY = new byte[0];

  /** Validates and copies the fields. */
  public ScriptInvocation {
    Checks.notNull("argv", argv);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv must hold at least the program");
    }
    argv = ImmutableList.copyOf(argv);
    env = env == null ? ImmutableMap.of() : ImmutableMap.copyOf(env);
    stdin = stdin == null ? EMPTY : stdin.clone();
  }

  /** Standard input, a copy. */
  @Override
  public byte[] stdin() {
    return stdin.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScriptInvocation s && argv.equals(s.argv) && env.equals(s.env)
        && Arrays.equals(stdin, s.stdin);
  }

  @Override
  public int hashCode() {
    return (argv.hashCode() * 31 + env.hashCode()) * 31 + Arrays.hashCode(stdin);
  }

  @Override
  public String toString() {
    return "ScriptInvocation" + argv + " env=" + env.keySet() + " stdin=" + stdin.length + " bytes";
  }
}
