package org.virthooks.ldm;

/**
 * Limits on one document read from ldmd or a file, so that hostile input fails fast instead of
 * exhausting memory: its size in bytes, element nesting depth and attributes per element.
 *
 * @param maxDocumentBytes the largest document accepted, in bytes (default 1 MiB)
 * @param maxDepth the deepest element nesting accepted (default 64; real documents nest about 10)
 * @param maxAttributes the most attributes on one element, namespace declarations included (default 64)
 */
public record LdmLimits(int maxDocumentBytes, int maxDepth, int maxAttributes) {
  /** 1 MiB. */
  public static final int DEFAULT_MAX_DOCUMENT_BYTES = 1 << 20;
  /** The defaults: 1 MiB, depth 64, 64 attributes. */
  public static final LdmLimits DEFAULTS = new LdmLimits(DEFAULT_MAX_DOCUMENT_BYTES, 64, 64);

  /** Validates that every limit is positive. */
  public LdmLimits {
    if (maxDocumentBytes < 64 || maxDepth < 4 || maxAttributes < 4) {
      throw new IllegalArgumentException("limits too small: " + maxDocumentBytes + " bytes, depth "
          + maxDepth + ", " + maxAttributes + " attributes (at least 64, 4, 4)");
    }
  }

  /** These limits with another document size. */
  public LdmLimits withMaxDocumentBytes(int bytes) {
    return new LdmLimits(bytes, maxDepth, maxAttributes);
  }
}
