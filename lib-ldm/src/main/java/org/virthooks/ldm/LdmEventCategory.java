package org.virthooks.ldm;

import java.util.Locale;

/**
 * What a client can register for with ldmd. There is no progress registration: as the LDoms
 * guide says, progress events ({@code migration-process}) come with {@link #HARDWARE} and with
 * {@link #ALL}.
 */
public enum LdmEventCategory {
  /** The nine domain events ({@code add-domain}... {@code migrate-domain}). */
  DOMAIN("domain"),
  /** The spconfig events, and the progress events with them. */
  HARDWARE("hardware"),
  /** The resource events ({@code add-vcpu}, {@code set-vswitch}...). */
  RESOURCE("resource"),
  /** All three at once. */
  ALL("all");

  private final String word;

  LdmEventCategory(String word) {
    this.word = word;
  }

  /** The registration action, {@code reg-domain-events}. */
  public String registerAction() {
    return "reg-" + word + "-events";
  }

  /** The unregistration action, {@code unreg-domain-events}. */
  public String unregisterAction() {
    return "unreg-" + word + "-events";
  }

  /** The lower-case word used on command lines ({@code domain}). */
  public String word() {
    return word;
  }

  /**
   * The category named {@code word} ({@code domain}, {@code hardware}, {@code resource},
   * {@code all}, any case).
   *
   * @throws IllegalArgumentException naming the accepted words otherwise
   */
  public static LdmEventCategory parse(String word) {
    String w = word == null ? "" : word.trim().toLowerCase(Locale.ROOT);
    for (LdmEventCategory c : values()) {
      if (c.word.equals(w)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown LDoms event category '" + word + "' (expected domain, hardware, resource or all)");
  }

  /** The category whose registration {@code action} is ({@code reg-domain-events}), or null. */
  public static LdmEventCategory ofRegistration(String action) {
    for (LdmEventCategory c : values()) {
      if (c.registerAction().equals(action) || c.unregisterAction().equals(action)) {
        return c;
      }
    }
    return null;
  }
}
