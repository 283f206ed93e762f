package org.virthooks.libvirt.domain;

/** The keycode mapping of {@code sendKey} (virKeycodeSet; Sys::Virt's KEYCODE SET constants). */
public enum KeycodeSet implements LibvirtFlag {
  /** Linux input event codes. */
  LINUX(0),
  /** XT scancodes. */
  XT(1),
  /** AT set 1 scancodes. */
  ATSET1(2),
  /** AT set 2 scancodes. */
  ATSET2(3),
  /** AT set 3 scancodes. */
  ATSET3(4),
  /** macOS virtual keycodes. */
  OSX(5),
  /** XT scancodes as the kbd driver sees them. */
  XT_KBD(6),
  /** USB HID usage codes. */
  USB(7),
  /** Windows virtual-key codes. */
  WIN32(8),
  /** QEMU numbers (formerly RFB) (libvirt 4.2). */
  QNUM(9);

  private final int value;

  KeycodeSet(int value) {
    this.value = value;
  }

  /** libvirt's value (VIR_KEYCODE_SET_*). */
  @Override
  public int value() {
    return value;
  }
}
