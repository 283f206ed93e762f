package org.virthooks.xen.testing;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.virthooks.xen.internal.Frame;
import org.virthooks.xen.internal.XsType;

/** A test's raw socket to the server: sends any bytes, reads frames with a deadline. */
final class RawConnection implements AutoCloseable {
  private final SocketChannel ch;
  private final ExecutorService reader = Executors.newSingleThreadExecutor();
  private final ByteBuffer header = ByteBuffer.allocate(Frame.HEADER);

  RawConnection(Path socket) throws IOException {
    ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
  }

  void send(XsType type, int req, int tx, byte[] payload) throws IOException {
    Frame.of(type, req, tx, payload).writeTo(ch);
  }

  void sendHeader(int type, int req, int tx, long len) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(type).putInt(req).putInt(tx).putInt((int) len).flip();
    ch.write(b);
  }

  void sendBytes(byte[] bytes) throws IOException {
    ch.write(ByteBuffer.wrap(bytes));
  }

  /** The next frame, or null when the server closed the connection; fails after the deadline. */
  Frame next(Duration deadline) throws Exception {
    Future<Frame> f = reader.submit(() -> Frame.read(ch, header, 1 << 20));
    try {
      return f.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException) {
        return null; // reset or closed mid-frame: the connection is gone either way
      }
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    ch.close();
    reader.shutdownNow();
  }
}
