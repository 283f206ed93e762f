package org.virthooks.core.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.virthooks.core.hook.DocumentLimit;
import org.virthooks.core.script.ScriptInvocation;

/**
 * Decodes one relay request ({@link RelayWire}'s format) from bytes as they arrive, so that a
 * server reads many connections on one thread and no silent peer holds a thread. A standard
 * input over {@link DocumentLimit} is read and discarded to its end, so that the client, which
 * writes its whole request before it reads, always receives the refusal; anything else malformed
 * stops the decoder with a reason. The memory for standard input is taken from a budget the
 * server keeps: when the budget cannot give it yet, the decoder stops consuming until
 * {@link #resume()}. Not thread-safe: one connection, one thread at a time.
 */
public final class RelayRequestDecoder {
  private enum Step { MAGIC, ARGC, ARG, ENVC, KEY, VALUE, STDIN, DRAIN, DONE, FAILED }

  private Step step = Step.MAGIC;
  private final ByteBuffer word = ByteBuffer.allocate(4);
  private byte[] field;
  private int fieldFilled;
  private boolean fieldLengthKnown;
  private int count;
  private final List<String> argv = new ArrayList<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private String key;
  private byte[] stdin;
  private long drainLeft;
  private long declaredStdin = -1;
  private int headerBytes;
  private String failure;
  private final IntPredicate reserve;
  private int unreserved = -1;
  private int reservedBytes;

  /**
   * A decoder taking the memory for standard input from {@code reserve}, which answers whether
   * that many bytes may be held now.
   */
  public RelayRequestDecoder(IntPredicate reserve) {
    this.reserve = reserve;
  }

  /**
   * Consumes bytes from {@code in} until it is empty or the request is complete (or failed);
   * what is left in {@code in} is not part of this request.
   */
  public void feed(ByteBuffer in) {
    while (in.hasRemaining() && step != Step.DONE && step != Step.FAILED && unreserved < 0) {
      switch (step) {
        case MAGIC -> {
          if (fillWord(in)) {
            if (word.getInt(0) != ByteBuffer.wrap(RelayWire.REQUEST).getInt()) {
              fail("not a virthooks relay request (bad magic)");
            } else {
              step = Step.ARGC;
            }
          }
        }
        case ARGC -> {
          if (fillWord(in)) {
            count = word.getInt(0);
            if (count <= 0 || count > RelayWire.MAX_ARGS) {
              fail("relay request has " + count + " arguments (1 to " + RelayWire.MAX_ARGS + ")");
            } else {
              step = Step.ARG;
            }
          }
        }
        case ARG -> {
          if (fillString(in, RelayWire.MAX_STRING, "argument")) {
            argv.add(takeString());
            step = --count == 0 ? Step.ENVC : Step.ARG;
          }
        }
        case ENVC -> {
          if (fillWord(in)) {
            count = word.getInt(0);
            if (count < 0 || count > RelayWire.MAX_ENV) {
              fail("relay request has " + count + " environment variables (at most "
                  + RelayWire.MAX_ENV + ")");
            } else {
              step = count == 0 ? Step.STDIN : Step.KEY;
            }
          }
        }
        case KEY -> {
          if (fillString(in, RelayWire.MAX_STRING, "variable name")) {
            key = takeString();
            step = Step.VALUE;
          }
        }
        case VALUE -> {
          if (fillString(in, RelayWire.MAX_STRING, "variable value")) {
            env.put(key, takeString());
            step = --count == 0 ? Step.STDIN : Step.KEY;
          }
        }
        case STDIN -> stdin(in);
        case DRAIN -> {
          int n = (int) Math.min(in.remaining(), drainLeft);
          in.position(in.position() + n);
          drainLeft -= n;
          if (drainLeft == 0) {
            step = Step.DONE;
          }
        }
        default -> throw new IllegalStateException(step.name());
      }
    }
  }

  private void stdin(ByteBuffer in) {
    if (field == null) {
      if (!fillWord(in)) {
        return;
      }
      int n = word.getInt(0);
      if (n < 0) {
        fail("relay request declares stdin of " + n + " bytes");
        return;
      }
      declaredStdin = n;
      if (DocumentLimit.isOver(n)) {
        drainLeft = n;
        step = Step.DRAIN;
        return;
      }
      if (!reserve.test(n)) {
        unreserved = n;
        return;
      }
      allocateStdin(n);
      if (step == Step.DONE) {
        return;
      }
    }
    int n = Math.min(in.remaining(), field.length - fieldFilled);
    in.get(field, fieldFilled, n);
    fieldFilled += n;
    if (fieldFilled == field.length) {
      stdin = field;
      field = null;
      step = Step.DONE;
    }
  }

  private void allocateStdin(int n) {
    reservedBytes = n;
    field = new byte[n];
    fieldFilled = 0;
    if (n == 0) {
      stdin = field;
      field = null;
      step = Step.DONE;
    }
  }

  /** True while the decoder waits for memory for standard input; see {@link #resume()}. */
  public boolean waitingForMemory() {
    return unreserved >= 0;
  }

  /**
   * Asks the budget again for the memory the decoder waits for; true when it got it and
   * {@link #feed} consumes again.
   */
  public boolean resume() {
    if (unreserved < 0) {
      return true;
    }
    if (!reserve.test(unreserved)) {
      return false;
    }
    int n = unreserved;
    unreserved = -1;
    allocateStdin(n);
    return true;
  }

  /** The bytes of standard input this decoder holds memory for (0 before it reserved any). */
  public int reserved() {
    return reservedBytes;
  }

  /** True once the whole request has been read (also one whose stdin was over the limit). */
  public boolean complete() {
    return step == Step.DONE;
  }

  /** Why the request cannot be read, once it cannot; null otherwise. */
  public String failure() {
    return failure;
  }

  /** The stdin size the request declared, -1 before it is known. */
  public long declaredStdin() {
    return declaredStdin;
  }

  /** True when the complete request's stdin was over {@link DocumentLimit} and was discarded. */
  public boolean overLimit() {
    return complete() && stdin == null;
  }

  /** The request's argv so far (complete once {@link #complete()}). */
  public List<String> argv() {
    return List.copyOf(argv);
  }

  /** The decoded call; only when {@link #complete()} and not {@link #overLimit()}. */
  public ScriptInvocation invocation() {
    if (!complete() || stdin == null) {
      throw new IllegalStateException("no complete request within the limit");
    }
    return new ScriptInvocation(argv, env, stdin);
  }

  private void fail(String why) {
    failure = why;
    step = Step.FAILED;
  }

  private boolean fillWord(ByteBuffer in) {
    while (word.hasRemaining() && in.hasRemaining()) {
      word.put(in.get());
    }
    if (word.hasRemaining()) {
      return false;
    }
    word.clear();
    return true;
  }

  private boolean fillString(ByteBuffer in, int max, String what) {
    if (!fieldLengthKnown) {
      if (!fillWord(in)) {
        return false;
      }
      int n = word.getInt(0);
      if (n < 0 || n > max) {
        fail("relay request " + what + " of " + n + " bytes (at most " + max + ")");
        return false;
      }
      headerBytes += n;
      if (headerBytes > RelayWire.MAX_HEADER) {
        fail("relay request's arguments and environment are over " + RelayWire.MAX_HEADER
            + " bytes");
        return false;
      }
      field = new byte[n];
      fieldFilled = 0;
      fieldLengthKnown = true;
    }
    int n = Math.min(in.remaining(), field.length - fieldFilled);
    in.get(field, fieldFilled, n);
    fieldFilled += n;
    return fieldFilled == field.length;
  }

  private String takeString() {
    String s = new String(field, StandardCharsets.UTF_8);
    field = null;
    fieldLengthKnown = false;
    return s;
  }
}
