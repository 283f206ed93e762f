package org.virthooks.core.relay;

import com.google.common.collect.ImmutableSortedSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.virthooks.core.internal.Checks;

/**
 * Which calls of a relayed hook script wait for a verdict (before and filter points), told from
 * one argument of the call: when anything fails after the client has connected, such a call is
 * refused, never let through; any other call (an after-point) follows the
 * {@link UnreachablePolicy} as when the relay cannot be reached.
 *
 * @param argument the index in argv of the argument that names the operation, the script's own
 *     path being index 0 (libvirt: 2, {@code qemu.d/50-virthooks guest prepare begin -}; Xen: 1,
 *     {@code block add})
 * @param names the operations at that index that wait for a verdict
 * @param all true when every call waits for a verdict, whatever its arguments
 */
public record DecisionPoints(int argument, Set<String> names, boolean all) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  /** Validates and copies. */
  public DecisionPoints {
    Checks.inRange("argument", argument, 0, 64);
    names = ImmutableSortedSet.copyOf(Checks.notNull("names", names));
    for (String n : names) {
      if (!NAME.matcher(n).matches()) {
        throw new IllegalArgumentException("not an operation name: '" + n + "'");
      }
    }
  }

  /** Every call is a decision point: the fail-closed default when a script's phases are unknown. */
  public static DecisionPoints allCalls() {
    return new DecisionPoints(0, Set.of(), true);
  }

  /** The calls whose argument {@code argument} is one of {@code names}. */
  public static DecisionPoints whereArgument(int argument, Set<String> names) {
    return new DecisionPoints(argument, names, false);
  }

  /** True when the call with this argv (script path first) waits for a verdict. */
  public boolean decides(List<String> argv) {
    return all || (argument < argv.size() && names.contains(argv.get(argument)));
  }
}
