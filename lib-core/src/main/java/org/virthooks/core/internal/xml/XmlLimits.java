package org.virthooks.core.internal.xml;

/**
 * What one document may be, so that hostile input fails fast instead of exhausting memory or
 * stack: its size, element nesting depth, and attributes per element (namespace declarations
 * included).
 *
 * @param maxSize the largest document, in bytes when read from bytes, in characters when read
 *     from text
 * @param maxDepth the deepest element nesting
 * @param maxAttributes the most attributes, namespace declarations included, on one element
 */
public record XmlLimits(int maxSize, int maxDepth, int maxAttributes) {
  /** Validates that every limit is positive. */
  public XmlLimits {
    if (maxSize < 1 || maxDepth < 1 || maxAttributes < 1) {
      throw new IllegalArgumentException("limits must be positive: size " + maxSize + ", depth "
          + maxDepth + ", " + maxAttributes + " attributes");
    }
  }
}
