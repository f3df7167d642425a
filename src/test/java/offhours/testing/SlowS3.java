package offhours.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * S3 on 127.0.0.1 holding one object, whose body it sends slowly: HeadObject is answered at once with the object's
 * length and ETag, GetObject with its status line and headers at once, then the body in {@code parts} parts a
 * {@code pause} apart, or, stalling, its first {@code sent} bytes and then nothing more on a connection it keeps open
 * until the client closes it, or, resetting, its first {@code sent} bytes and then a reset of the connection (a close
 * with no linger: TCP's RST). Any key, any bucket; requests on a connection are served one after the other.
 */
public final class SlowS3 implements AutoCloseable {

  /** The object's ETag, quoted as S3 sends it. */
  public static final String ETAG = "\"0123456789abcdef0123456789abcdef\"";

  private final byte[] object;
  private final int parts;
  private final Duration pause;
  private final int sent;
  private final boolean reset;
  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final CountDownLatch stalledDropped = new CountDownLatch(1);

  private SlowS3(byte[] object, int parts, Duration pause, int sent, boolean reset)
      throws IOException {
    this.object = object.clone();
    this.parts = parts;
    this.pause = pause;
    this.sent = sent;
    this.reset = reset;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "slow-s3");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** GetObject sends {@code object}'s first {@code sent} bytes, then nothing more. */
  public static SlowS3 stallingAfter(byte[] object, int sent) throws IOException {
    if (sent < 0 || sent >= object.length) {
      throw new IllegalArgumentException("a stall is part-way: 0 to " + (object.length - 1));
    }
    return new SlowS3(object, 1, Duration.ZERO, sent, false);
  }

  /** GetObject sends {@code object}'s first {@code sent} bytes, then resets the connection. */
  public static SlowS3 resettingAfter(byte[] object, int sent) throws IOException {
    if (sent < 0 || sent >= object.length) {
      throw new IllegalArgumentException("a reset is part-way: 0 to " + (object.length - 1));
    }
    return new SlowS3(object, 1, Duration.ZERO, sent, true);
  }

  /** GetObject sends {@code object} in {@code parts} parts, {@code pause} apart: the whole of it, slowly. */
  public static SlowS3 trickling(byte[] object, int parts, Duration pause) throws IOException {
    return new SlowS3(object, parts, pause, -1, false);
  }

  /** http://127.0.0.1:PORT */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /**
   * Whether the client closed a stalled GetObject's connection within {@code wait}: it let the body go, rather than
   * leaving a reader on it.
   */
  public boolean stalledDropped(Duration wait) throws InterruptedException {
    return stalledDropped.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void accept() {
    try {
      while (true) {
        Socket socket = server.accept();
        accepted.add(socket);
        Thread connection = new Thread(() -> serve(socket), "slow-s3-connection");
        connection.setDaemon(true);
        connection.start();
      }
    } catch (IOException closed) {
      // the test is over
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      String head;
      while ((head = head(in)) != null) {
        String method = head.substring(0, Math.max(0, head.indexOf(' ')));
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: " + object.length
                + "\r\nETag: " + ETAG + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        if (method.toUpperCase(Locale.ROOT).equals("GET")) {
          if (sent >= 0) {
            out.write(object, 0, sent);
            out.flush();
            if (reset) {
              socket.setSoLinger(true, 0);
              return;
            }
            // Nothing more: the next thing the client does with this connection is close it.
            while (in.read() != -1) {
              // a client sends nothing on a connection whose answer it is still reading
            }
            stalledDropped.countDown();
            return;
          }
          trickle(out);
        }
      }
    } catch (IOException e) {
      if (sent >= 0) {
        // A reset: the client closed it too.
        stalledDropped.countDown();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void trickle(OutputStream out) throws IOException, InterruptedException {
    for (int part = 0; part < parts; part++) {
      if (part > 0) {
        Thread.sleep(pause.toMillis());
      }
      int from = (int) ((long) object.length * part / parts);
      int to = (int) ((long) object.length * (part + 1) / parts);
      out.write(object, from, to - from);
      out.flush();
    }
  }

  /** A request's line and headers, up to the blank line; null once the client has closed the connection. */
  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0;
    int b;
    while ((b = in.read()) != -1) {
      head.write(b);
      last4 = (last4 << 8) | b;
      if (last4 == 0x0d0a0d0a) {
        return head.toString(StandardCharsets.US_ASCII);
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : accepted) {
      socket.close();
    }
  }
}
