package org.virthooks.xen;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The one handler of a kind found with {@link ServiceLoader}: none is fine (the caller has a
 * default), several is a clear error naming them all, never a silent pick of whichever the class
 * path lists first (which one would serve a guest's disk would depend on the order of jars).
 */
public final class HandlerLookup {
  private HandlerLookup() {}

  /** The only provider of {@code type} on the class path, if any. */
  public static <T> Optional<T> single(Class<T> type) {
    return single(type, ServiceLoader.load(type));
  }

  /**
   * The only one of {@code found}, if any.
   *
   * @throws IllegalStateException naming every one when there are several
   */
  public static <T> Optional<T> single(Class<T> type, Iterable<? extends T> found) {
    List<T> all = new ArrayList<>();
    found.forEach(all::add);
    if (all.size() > 1) {
      throw new IllegalStateException("several " + type.getSimpleName() + " implementations are "
          + "on the class path (" + all.stream().map(h -> h.getClass().getName())
          .collect(Collectors.joining(", ")) + "); virthooks does not choose one: keep one, "
          + "or write one that calls the others in the order you want");
    }
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }
}
