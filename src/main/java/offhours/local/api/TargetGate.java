package offhours.local.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The port a {@link Loopback} server's clients reach, in front of the JDK's server: it reads each connection's request
 * line and passes the connection on to the JDK's server as it came, except that a target the JDK's server would answer
 * itself or drop ({@code *}, {@code //status}, {@code ?key=%zz}: see {@link Loopback}) is passed on as a request for a
 * path only the server knows, which carries the target as sent, so that the server's own handler answers it in its own
 * words ({@link Loopback.Unplaced}). Nothing else of a request is read or changed: its headers and body go through as
 * bytes, and so does the answer. The server closes each connection after its answer ({@code Connection: close}), so the
 * first request line is a connection's only one.
 */
final class TargetGate implements AutoCloseable {

  /**
   * The most bytes read for a connection's request line, blank lines before it included: a client that sends more has
   * its connection answered 414 by the gate itself ({@link #tooLong}), since no line the gate could not judge may reach
   * the JDK's server, which skips any number of blank lines and takes a line of any length.
   */
  static final int LONGEST_LINE = 64 * 1024;
  /** How long a client's further bytes are read and dropped once it has its answer, before its connection is closed. */
  private static final int DRAIN_MILLIS = 5_000;

  private final ServerSocket listening;
  private final int serverPort;
  private final String unplacedPath;
  private final int requestMillis;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  private TargetGate(int port, int serverPort, String unplacedPath, int requestSeconds)
      throws IOException {
    this.listening = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
    this.serverPort = serverPort;
    this.unplacedPath = unplacedPath;
    this.requestMillis = requestSeconds * 1000;
  }

  /**
   * A gate on 127.0.0.1:{@code port} (0: a free port) to the server on {@code serverPort}, which answers a request for
   * {@code unplacedPath} as the unplaced target its query carries ({@link #sentTarget}); a client has
   * {@code requestSeconds} to send its request line. It accepts no connection until {@link #accept}: a client that
   * comes before waits.
   */
  static TargetGate bind(int port, int serverPort, String unplacedPath, int requestSeconds)
      throws IOException {
    return new TargetGate(port, serverPort, unplacedPath, requestSeconds);
  }

  /** Starts accepting connections, on threads named after {@code threadName}. */
  void accept(String threadName) {
    Thread.ofPlatform().daemon().name(threadName + "-gate").start(() -> acceptAll(threadName));
  }

  int port() {
    return listening.getLocalPort();
  }

  /** The target as sent, from the query of a request for the unplaced path. */
  static String sentTarget(String rawQuery) {
    return URLDecoder.decode(rawQuery, StandardCharsets.ISO_8859_1);
  }

  /**
   * The request line to send the JDK's server for {@code line}, as the JDK's server reads it (one char a byte, up to
   * CR LF): the line itself when the JDK's server would hand its target to a handler, or a request for the unplaced
   * path with the target in its query, as the same method and HTTP version.
   */
  String passed(String line) {
    int method = line.indexOf(' ');
    int target = method < 0 ? -1 : line.indexOf(' ', method + 1);
    if (target < 0 || routable(line.substring(method + 1, target))) {
      // No target to judge (the JDK's server refuses the line itself), or a path it routes.
      return line;
    }
    return line.substring(0, method + 1) + unplacedPath + "?"
        + URLEncoder.encode(line.substring(method + 1, target), StandardCharsets.ISO_8859_1)
        + line.substring(target);
  }

  /** Whether the JDK's server hands a request for {@code target} to the context "/": a URI whose path starts so. */
  static boolean routable(String target) {
    try {
      String path = new URI(target).getPath();
      return path != null && path.startsWith("/");
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private void acceptAll(String threadName) {
    while (true) {
      Socket client;
      try {
        client = listening.accept();
      } catch (IOException closed) {
        return;
      }
      open.add(client);
      Thread.ofVirtual().name(threadName + "-gate").start(() -> pass(client, threadName));
    }
  }

  /** Passes {@code client}'s connection on to the server, its request line judged, until either side ends it. */
  private void pass(Socket client, String threadName) {
    try (client;
        Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort)) {
      open.add(server);
      InputStream in = client.getInputStream();
      byte[] head = head(client, in);
      if (head == null) {
        return;
      }
      if (head.length == 0) {
        tooLong(client, in);
        return;
      }
      client.setSoTimeout(0);
      OutputStream toServer = server.getOutputStream();
      toServer.write(head);
      toServer.flush();
      Thread request =
          Thread.ofVirtual().name(threadName + "-gate").start(() -> sendOn(in, toServer, server));
      try {
        server.getInputStream().transferTo(client.getOutputStream());
        client.shutdownOutput();
      } catch (IOException e) {
        // Either side gone: the connection ends.
      }
      // The client has its answer; what it still sends is read and dropped, then its connection
      // closes: closed with bytes unread, it would be reset, and the answer may be lost with it.
      request.join(DRAIN_MILLIS);
    } catch (IOException e) {
      // The client went before its request line, or the server is closing.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(client);
      open.removeIf(Socket::isClosed);
    }
  }

  /**
   * The first request line of a connection, passed ({@link #passed}), with its CR LF; null when the client closed
   * before its end, and empty when it sent more than {@link #LONGEST_LINE} bytes without one. A line ends as the JDK's
   * server ends it (a CR LF whose CR follows no lone CR: "\r\r\n" is no end), and blank lines before it are skipped
   * as that server skips them, all of them, so that the line judged here is always the line it reads.
   */
  private byte[] head(Socket client, InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    long deadline = System.nanoTime() + requestMillis * 1_000_000L;
    boolean cr = false;
    int read = 0;
    int b;
    while ((b = readBy(client, in, deadline)) != -1) {
      if (++read > LONGEST_LINE) {
        return new byte[0];
      }
      if (cr) {
        cr = false;
        if (b == '\n') {
          if (line.size() == 0) {
            continue; // a blank line
          }
          return (passed(line.toString(StandardCharsets.ISO_8859_1)) + "\r\n")
              .getBytes(StandardCharsets.ISO_8859_1);
        }
        line.write('\r');
        line.write(b);
      } else if (b == '\r') {
        cr = true;
      } else {
        line.write(b);
      }
    }
    return null;
  }

  /**
   * The client's next byte, waited for until {@code deadline} ({@link System#nanoTime}): the time to send a request
   * line is bounded as a whole, not byte by byte, so a client that sends a byte now and then is cut off as the JDK's
   * server would cut it off.
   */
  private static int readBy(Socket client, InputStream in, long deadline) throws IOException {
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (left <= 0) {
      throw new SocketTimeoutException("no request line in time");
    }
    client.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    return in.read();
  }

  /**
   * Answers a client whose request line is longer than {@link #LONGEST_LINE} 414, in the JSON both servers' errors are
   * ({@code {"message": ...}}), then reads and drops what it still sends for a while, so that the answer is not lost
   * to a reset.
   */
  private static void tooLong(Socket client, InputStream in) throws IOException {
    byte[] body =
        ("{\"message\":\"the request line, with any blank lines before it, is longer than "
                + LONGEST_LINE + " bytes; send a shorter target\"}")
            .getBytes(StandardCharsets.US_ASCII);
    OutputStream out = client.getOutputStream();
    out.write(("HTTP/1.1 414 URI Too Long\r\nContent-Type: application/json; charset=utf-8\r\n"
            + "X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n"
            + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    client.shutdownOutput();
    client.setSoTimeout(DRAIN_MILLIS);
    long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
    byte[] dropped = new byte[8192];
    int n;
    do {
      n = in.read(dropped);
    } while (n != -1 && System.nanoTime() < deadline);
  }

  /** Sends the rest of the client's request on; once the server has closed, reads and drops it. */
  private static void sendOn(InputStream fromClient, OutputStream toServer, Socket server) {
    byte[] buffer = new byte[8192];
    boolean serverOpen = true;
    try {
      int n;
      while ((n = fromClient.read(buffer)) != -1) {
        if (serverOpen) {
          try {
            toServer.write(buffer, 0, n);
            toServer.flush();
          } catch (IOException closed) {
            serverOpen = false;
          }
        }
      }
      server.shutdownOutput();
    } catch (IOException e) {
      // The client's side ended, or the connection was closed.
    }
  }

  @Override
  public void close() {
    try {
      listening.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket socket : open) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
