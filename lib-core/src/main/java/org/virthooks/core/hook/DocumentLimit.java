package org.virthooks.core.hook;

/**
 * The one size limit of a hook call's document (the domain XML, {@code hookData}, anything a
 * daemon writes on a hook script's standard input), honoured the same by the relay client and
 * server, the fresh-JVM entry points and the XML readers: a document over it is refused at before
 * and filter points with {@link #overLimit(long)}'s message, never skipped.
 *
 * <p>Why 32 MiB: libvirt carries a domain XML over its RPC as a {@code remote_nonnull_string},
 * at most {@code REMOTE_STRING_MAX} = 4 MiB ({@code src/remote/remote_protocol.x}), and virsh
 * reads an XML file of at most {@code VSH_MAX_XML_FILE} = 10 MiB; but the document a hook gets is
 * the one libvirt formats, in which every {@code '} or {@code "} of the text becomes a
 * six-character entity, so 4 MiB accepted can become 24 MiB handed to the hook. The limit is
 * libvirt's whole RPC message, {@code VIR_NET_MESSAGE_MAX} = 32 MiB
 * ({@code src/rpc/virnetprotocol.x}), which covers that with room for the defaults libvirt adds.
 */
public final class DocumentLimit {
  /** The largest document, in bytes, that a hook call accepts: 32 MiB. */
  public static final int MAX_BYTES = 32 << 20;

  private DocumentLimit() {}

  /** True when a document of {@code bytes} is over the limit. */
  public static boolean isOver(long bytes) {
    return bytes > MAX_BYTES;
  }

  /**
   * What is wrong with a document of {@code bytes} (negative: its size is unknown, only that it
   * passed the limit), as one sentence without a verdict; callers add what they do about it.
   */
  public static String overLimit(long bytes) {
    return "the document on standard input is "
        + (bytes < 0 ? "larger than " + MAX_BYTES : Long.toString(bytes))
        + " bytes, over virthooks' limit of " + MAX_BYTES + " bytes (32 MiB)";
  }
}
