package org.virthooks.xen.internal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The xenbus device as a channel. A {@link FileChannel} serialises reads and writes on one lock,
 * so a reader thread waiting for replies would block every request forever; the device also
 * answers only on the descriptor that asked, so two opens will not do. Hence one descriptor:
 * reads through the file channel (closing it wakes a blocked reader), writes straight to the
 * descriptor.
 */
public final class DeviceChannel implements ByteChannel {
  private final RandomAccessFile file;
  private final FileChannel reads;
  private final FileOutputStream writes;

  /** Opens {@code device} for reading and writing. */
  public DeviceChannel(Path device) throws IOException {
    this.file = new RandomAccessFile(device.toFile(), "rw");
    this.reads = file.getChannel();
    this.writes = new FileOutputStream(file.getFD());
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return reads.read(dst);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int n = src.remaining();
    byte[] b = new byte[n];
    src.get(b);
    // one write per frame: the device takes a message per write
    writes.write(b);
    return n;
  }

  @Override
  public boolean isOpen() {
    return reads.isOpen();
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
