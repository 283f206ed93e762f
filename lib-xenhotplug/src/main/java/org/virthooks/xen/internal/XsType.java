package org.virthooks.xen.internal;

/** The xenstore message types of {@code xs_wire.h}, with their numbers on the wire. */
public enum XsType {
  CONTROL(0),
  DIRECTORY(1),
  READ(2),
  GET_PERMS(3),
  WATCH(4),
  UNWATCH(5),
  TRANSACTION_START(6),
  TRANSACTION_END(7),
  INTRODUCE(8),
  RELEASE(9),
  GET_DOMAIN_PATH(10),
  WRITE(11),
  MKDIR(12),
  RM(13),
  SET_PERMS(14),
  WATCH_EVENT(15),
  ERROR(16),
  IS_DOMAIN_INTRODUCED(17),
  RESUME(18),
  SET_TARGET(19),
  RESET_WATCHES(21),
  DIRECTORY_PART(22),
  GET_FEATURE(23),
  SET_FEATURE(24),
  GET_QUOTA(25),
  SET_QUOTA(26);

  private static final XsType[] BY_CODE = new XsType[32];

  static {
    for (XsType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;

  XsType(int code) {
    this.code = code;
  }

  /** The number on the wire. */
  public int code() {
    return code;
  }

  /** The type with this number, or null for a number the protocol does not define. */
  public static XsType of(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
