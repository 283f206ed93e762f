package org.virthooks.core;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.virthooks.core.internal.Checks;

/**
 * Names a domain (a guest, a logical domain): its name, and its numeric id and UUID when the
 * source knows them. Immutable.
 *
 * @param name the domain's name, unique on its host, never blank
 * @param id the hypervisor's numeric id while running, never negative
 * @param uuid the domain's globally unique id
 */
public record DomainRef(String name, OptionalInt id, Optional<UUID> uuid) {

  /** Validates the fields. */
  public DomainRef {
    Checks.notBlank("domain name", name);
    id = id == null ? OptionalInt.empty() : id;
    if (id.isPresent()) {
      Checks.notNegative("domain id", id.getAsInt());
    }
    uuid = uuid == null ? Optional.empty() : uuid;
  }

  /** A domain known by its name only. */
  public static DomainRef of(String name) {
    return new DomainRef(name, OptionalInt.empty(), Optional.empty());
  }

  /** A copy with the numeric id. */
  public DomainRef withId(int newId) {
    return new DomainRef(name, OptionalInt.of(newId), uuid);
  }

  /** A copy with the UUID. */
  public DomainRef withUuid(UUID newUuid) {
    return new DomainRef(name, id, Optional.of(Checks.notNull("uuid", newUuid)));
  }

  /** A copy with the UUID given as 32 or 36 hexadecimal characters; see {@link #parseUuid(String)}. */
  public DomainRef withUuid(String newUuid) {
    return withUuid(parseUuid(newUuid));
  }

  /** A copy with the UUID given as its 16 raw bytes; see {@link #uuidFromBytes(byte[])}. */
  public DomainRef withUuid(byte[] newUuid) {
    return withUuid(uuidFromBytes(newUuid));
  }

  /**
   * Parses a UUID written as 36 characters ({@code 8-4-4-4-12} hex digits with hyphens) or as
   * 32 hex digits without hyphens, in either case of letters.
   *
   * @throws IllegalArgumentException quoting the value when it is neither
   */
  public static UUID parseUuid(String text) {
    if (text == null) {
      throw new IllegalArgumentException("UUID must not be null");
    }
    String hex;
    if (text.length() == 36) {
      if (text.charAt(8) != '-' || text.charAt(13) != '-' || text.charAt(18) != '-'
          || text.charAt(23) != '-') {
        throw badUuid(text);
      }
      hex = text.substring(0, 8) + text.substring(9, 13) + text.substring(14, 18)
          + text.substring(19, 23) + text.substring(24);
    } else if (text.length() == 32) {
      hex = text;
    } else {
      throw badUuid(text);
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 32; i++) {
      int d = Character.digit(hex.charAt(i), 16);
      if (d < 0) {
        throw badUuid(text);
      }
      if (i < 16) {
        hi = (hi << 4) | d;
      } else {
        lo = (lo << 4) | d;
      }
    }
    return new UUID(hi, lo);
  }

  /**
   * Makes a UUID from its 16 raw bytes, most significant first (libvirt's {@code virDomainGetUUID}).
   *
   * @throws IllegalArgumentException naming the length when it is not 16
   */
  public static UUID uuidFromBytes(byte[] bytes) {
    if (bytes == null || bytes.length != 16) {
      throw new IllegalArgumentException("UUID must be 16 bytes, or 32 or 36 hex characters: got "
          + (bytes == null ? "null" : bytes.length + " bytes"));
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    return new UUID(b.getLong(), b.getLong());
  }

  private static IllegalArgumentException badUuid(String text) {
    return new IllegalArgumentException(
        "UUID must be 16 bytes, or 32 or 36 hex characters: '" + text + "'");
  }

  /** {@code name}, then {@code #id} and the UUID when known. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(name);
    id.ifPresent(i -> s.append(" #").append(i));
    uuid.ifPresent(u -> s.append(' ').append(u));
    return s.toString();
  }
}
