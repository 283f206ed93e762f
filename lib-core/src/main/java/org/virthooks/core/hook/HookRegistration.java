package org.virthooks.core.hook;

/** A hook's registration; {@link #close()} removes it, closing twice does nothing. */
public interface HookRegistration extends AutoCloseable {
  /** The hook's name, unique among the hooks of its point. */
  String name();

  /** Where it is registered. */
  HookPoint point();

  /** True until closed. */
  boolean isActive();

  /** Removes the hook; calls already running finish. */
  @Override
  void close();
}
