package org.virthooks.ldm.internal;

import java.util.Arrays;
import org.virthooks.ldm.LdmParseException;

/**
 * Cuts a byte stream into top-level XML elements without parsing them: ldmd writes bare
 * documents on one long XMPP stream, a read may end in the middle of one or hold several, and a
 * file given to {@code decode} may hold several in a row. It tracks only what decides element
 * boundaries (tags, quoted attribute values, comments, CDATA, processing instructions), so it
 * runs in linear time and memory bounded by the document limit; the real parse comes after.
 *
 * <p>In stream mode the {@code <stream:stream>} start tag (any prefix, or none) and its end tag
 * are reported apart and never count as nesting. {@code <!DOCTYPE} and every other markup
 * declaration is refused. Not thread-safe: one per connection or input.
 */
public final class XmlFramer {
  /** Receives what the framer finds. */
  public interface Handler {
    /** The stream's start tag ({@code <stream:stream ...>}), stream mode only. */
    void streamOpened(Frame header) throws LdmParseException;

    /** One complete top-level element. */
    void element(Frame element) throws LdmParseException;

    /** The stream's end tag ({@code </stream:stream>}), stream mode only. */
    void streamClosed() throws LdmParseException;
  }

  /**
   * A piece of input and where it began.
   *
   * @param bytes the element's bytes, UTF-8
   * @param line its first line in the input, from 1
   * @param column its first column (bytes), from 1
   */
  public record Frame(byte[] bytes, int line, int column) {
    /** The local name of the element (after any prefix). */
    public String localName() {
      int i = 1;
      while (i < bytes.length && !isNameEnd(bytes[i])) {
        i++;
      }
      String name = new String(bytes, 1, i - 1, java.nio.charset.StandardCharsets.UTF_8);
      return name.substring(name.indexOf(':') + 1);
    }
  }

  private enum State { TEXT, LT, START_TAG, END_TAG, PI, BANG, COMMENT, CDATA }

  private static final byte[] COMMENT_OPEN = "--".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] CDATA_OPEN = "[CDATA[".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final boolean streamMode;
  private final int maxBytes;
  private final int maxDepth;
  private final Handler handler;

  private State state = State.TEXT;
  private int depth;
  private byte quote;
  private byte prev1;
  private byte prev2;
  private int bangLen;
  private boolean failed;

  private byte[] buf = new byte[1024];
  private int len;
  private boolean capturing;
  private int startLine;
  private int startColumn;
  private int line = 1;
  private int column;
  /** Where the name of the tag being read starts and ends in buf; -1 while unknown. */
  private int nameStart;
  private int nameEnd;

  /** A framer; {@code streamMode} for XMPP, false for files of concatenated documents. */
  public XmlFramer(boolean streamMode, int maxBytes, int maxDepth, Handler handler) {
    this.streamMode = streamMode;
    this.maxBytes = maxBytes;
    this.maxDepth = maxDepth;
    this.handler = handler;
  }

  /** Bytes consumed so far are inside a top-level element (or a tag at top level). */
  public boolean inElement() {
    return capturing;
  }

  /**
   * Feeds bytes; calls the handler for every element completed by them.
   *
   * @throws LdmParseException when the input cannot be XML (text at top level, a DTD, an
   *     unbalanced end tag, an element over the size or depth limit); the framer is then unusable
   */
  public void feed(byte[] b, int off, int n) throws LdmParseException {
    if (failed) {
      throw new IllegalStateException("framer failed earlier");
    }
    for (int i = off; i < off + n; i++) {
      byte c = b[i];
      // line and column are the position of c while it is handled, a newline's included
      column++;
      step(c);
      if (c == '\n') {
        line++;
        column = 0;
      }
      prev2 = prev1;
      prev1 = c;
    }
  }

  /** Signals the end of input: an element left open is an error, reported just after the end. */
  public void finish() throws LdmParseException {
    if (capturing || state != State.TEXT) {
      column++;
      throw fail("input ended inside a document");
    }
  }

  private void step(byte c) throws LdmParseException {
    switch (state) {
      case TEXT -> {
        if (c == '<') {
          if (depth == 0) {
            startCapture();
          }
          state = State.LT;
        } else if (depth == 0 && !isSpace(c)) {
          throw fail("text outside of any element");
        }
      }
      case LT -> {
        if (c == '/') {
          state = State.END_TAG;
          nameStart = len + 1;
          nameEnd = -1;
        } else if (c == '?') {
          state = State.PI;
        } else if (c == '!') {
          state = State.BANG;
          bangLen = 0;
        } else if (isSpace(c) || c == '>' || c == '<') {
          throw fail("'<' not followed by a name");
        } else {
          state = State.START_TAG;
          nameStart = len;
          nameEnd = -1;
          quote = 0;
        }
      }
      case START_TAG -> {
        if (nameEnd < 0 && isNameEnd(c)) {
          nameEnd = len;
        }
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
          }
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '<') {
          throw fail("'<' inside a tag");
        } else if (c == '>') {
          append(c);
          endOfStartTag(prev1 == '/');
          return;
        }
      }
      case END_TAG -> {
        if (nameEnd < 0 && isNameEnd(c)) {
          nameEnd = len;
        }
        if (c == '>') {
          append(c);
          endOfEndTag();
          return;
        }
      }
      case PI -> {
        if (c == '>' && prev1 == '?') {
          state = State.TEXT;
          if (depth == 0) {
            dropCapture();
            return;
          }
        }
      }
      case BANG -> {
        boolean comment = bangLen < COMMENT_OPEN.length && COMMENT_OPEN[bangLen] == c;
        boolean cdata = bangLen < CDATA_OPEN.length && CDATA_OPEN[bangLen] == c;
        if (!comment && !cdata) {
          throw fail("DTDs and markup declarations are refused");
        }
        bangLen++;
        if (comment && bangLen == COMMENT_OPEN.length) {
          state = State.COMMENT;
          prev1 = 0;
          append(c);
          return;
        }
        if (cdata && bangLen == CDATA_OPEN.length) {
          if (depth == 0) {
            throw fail("CDATA outside of any element");
          }
          state = State.CDATA;
          prev1 = 0;
          append(c);
          return;
        }
      }
      case COMMENT -> {
        if (c == '>' && prev1 == '-' && prev2 == '-') {
          state = State.TEXT;
          if (depth == 0) {
            dropCapture();
            return;
          }
        }
      }
      case CDATA -> {
        if (c == '>' && prev1 == ']' && prev2 == ']') {
          state = State.TEXT;
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
    if (capturing) {
      append(c);
    }
  }

  private void endOfStartTag(boolean empty) throws LdmParseException {
    state = State.TEXT;
    if (depth == 0 && streamMode && isStreamName(nameStart, nameEnd)) {
      Frame f = takeCapture();
      handler.streamOpened(f);
      return;
    }
    if (!empty) {
      if (++depth > maxDepth) {
        throw fail("elements nested deeper than " + maxDepth);
      }
      return;
    }
    if (depth == 0) {
      handler.element(takeCapture());
    }
  }

  private void endOfEndTag() throws LdmParseException {
    state = State.TEXT;
    if (depth == 0) {
      if (streamMode && isStreamName(nameStart, nameEnd)) {
        dropCapture();
        handler.streamClosed();
        return;
      }
      throw fail("end tag without a start tag");
    }
    if (--depth == 0) {
      handler.element(takeCapture());
    }
  }

  private boolean isStreamName(int from, int to) {
    int end = to < 0 ? len : to;
    int colon = -1;
    for (int i = from; i < end; i++) {
      if (buf[i] == ':') {
        colon = i;
      }
    }
    int s = colon + 1 > from ? colon + 1 : from;
    return end - s == 6 && buf[s] == 's' && buf[s + 1] == 't' && buf[s + 2] == 'r'
        && buf[s + 3] == 'e' && buf[s + 4] == 'a' && buf[s + 5] == 'm';
  }

  private void startCapture() {
    capturing = true;
    len = 0;
    startLine = line;
    startColumn = column;
  }

  private void dropCapture() {
    capturing = false;
    len = 0;
  }

  private Frame takeCapture() {
    Frame f = new Frame(Arrays.copyOf(buf, len), startLine, startColumn);
    capturing = false;
    len = 0;
    if (buf.length > 64 * 1024) {
      // a huge document once must not pin its buffer for the connection's life
      buf = new byte[1024];
    }
    return f;
  }

  private void append(byte c) throws LdmParseException {
    // checked on every byte: the first buffer is larger than a small limit
    if (len >= maxBytes) {
      throw fail("document exceeds the limit of " + maxBytes + " bytes");
    }
    if (len == buf.length) {
      buf = Arrays.copyOf(buf, Math.min(maxBytes, buf.length * 2));
    }
    buf[len++] = c;
  }

  private LdmParseException fail(String message) {
    failed = true;
    return new LdmParseException(message, line, column);
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private static boolean isNameEnd(byte c) {
    return isSpace(c) || c == '>' || c == '/';
  }
}
