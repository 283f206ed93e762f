package org.virthooks.libvirt;

import java.util.Locale;
import java.util.Optional;

/** The libvirt hook scripts, by the name of the script (or of its {@code <name>.d} directory). */
public enum HookDriver {
  /** {@code daemon}: libvirtd start, shutdown, SIGHUP reload. */
  DAEMON("daemon"),
  /** {@code qemu}: QEMU/KVM guests. */
  QEMU("domain"),
  /** {@code lxc}: LXC containers. */
  LXC("domain"),
  /** {@code libxl}: Xen guests through libxl. */
  LIBXL("domain"),
  /** {@code bhyve}: bhyve guests. */
  BHYVE("domain"),
  /** {@code network}: virtual networks and their ports. */
  NETWORK("network");

  private final String object;

  HookDriver(String object) {
    this.object = object;
  }

  /** The script's name: {@code qemu}, {@code network}... */
  public String scriptName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The hook point object its calls are about: {@code domain}, {@code network} or {@code daemon}. */
  public String object() {
    return object;
  }

  /** True for the guest drivers, whose stdin is a domain XML. */
  public boolean isDomain() {
    return object.equals("domain");
  }

  /** The driver called {@code name}, case-insensitively. */
  public static Optional<HookDriver> byName(String name) {
    for (HookDriver d : values()) {
      if (d.scriptName().equalsIgnoreCase(name)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /**
   * The driver of an installed script path: {@code /etc/libvirt/hooks/qemu} or
   * {@code /etc/libvirt/hooks/qemu.d/50-virthooks}.
   */
  public static Optional<HookDriver> ofScript(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    int slash = p.lastIndexOf('/');
    String base = p.substring(slash + 1);
    Optional<HookDriver> d = byName(base);
    if (d.isPresent() || slash < 0) {
      return d;
    }
    String parent = p.substring(0, slash);
    String dir = parent.substring(parent.lastIndexOf('/') + 1);
    return dir.endsWith(".d") ? byName(dir.substring(0, dir.length() - 2)) : Optional.empty();
  }
}
