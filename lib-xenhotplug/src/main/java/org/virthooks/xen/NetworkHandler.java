package org.virthooks.xen;

import org.virthooks.core.hotplug.HotplugException;

/**
 * Serves Xen's network hotplug scripts ({@code vif-bridge} and the like) in Java. The runner
 * writes {@code hotplug-status = connected} after a successful {@code online} of a vif, as libxl
 * waits for; failures become {@code hotplug-error}. Same rules as every hook: be quick (libxl
 * kills a script after 40 s) and throw {@link HotplugException} with a one-line message to fail.
 */
public interface NetworkHandler {
  /** The backend vif is up: plug it into the network. */
  void online(VifRequest request) throws HotplugException;

  /** The backend vif is going away; nothing by default. */
  default void offline(VifRequest request) throws HotplugException {}

  /** The emulated NIC's tap device appeared; by default as {@link #online}. */
  default void add(VifRequest request) throws HotplugException {
    online(request);
  }

  /** The tap device is going away; by default as {@link #offline}. */
  default void remove(VifRequest request) throws HotplugException {
    offline(request);
  }
}
