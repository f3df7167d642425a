package offhours.local.api;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * A request body that local mode's servers answer before reading: its length as declared, and a refusal sent while
 * the client may still be sending, then a bounded part of the body read and dropped, then the connection closed. The
 * local SageMaker and Lambda ({@link offhours.local.auth.GuardFilter}), the model container, the local API front and
 * the page of {@code offhours ui} answer a Content-Length over their limit this way, and each refusal they give before
 * reading a body.
 */
public final class UnreadBody {
  private UnreadBody() {}

  /** Writes a refusal in a server's own error shape; it may close the answer's stream. */
  @FunctionalInterface
  public interface Answer {
    void write(HttpExchange exchange) throws IOException;
  }

  /**
   * The body's length as its Content-Length declares it, or -1 when it declares none that the JDK's server goes by:
   * a chunked body's (the server reads the chunks, whatever the header says), or a header that is no number.
   */
  public static long declaredLength(HttpExchange exchange) {
    Headers headers = exchange.getRequestHeaders();
    String length = headers.getFirst("Content-Length");
    if (length == null || headers.containsKey("Transfer-Encoding")) {
      return -1;
    }
    try {
      return Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Whether the request has a body: a Content-Length over 0, or one sent in chunks. */
  public static boolean declaresBody(HttpExchange exchange) {
    return declaredLength(exchange) > 0
        || exchange.getRequestHeaders().containsKey("Transfer-Encoding");
  }

  /**
   * {@link #refuse} for a request that may have no body: one that declares none ({@link #declaresBody}) is answered as
   * any other, its connection kept for the client's next request, as there is nothing to drop.
   */
  public static void refuseUnread(HttpExchange exchange, long drain, Answer answer)
      throws IOException {
    if (!declaresBody(exchange)) {
      try (exchange) {
        answer.write(exchange);
      }
      return;
    }
    refuse(exchange, drain, answer);
  }

  /**
   * The whole body when it holds at most {@code max} bytes; else empty, the exchange answered with {@code tooLarge}:
   * at once when its Content-Length is over {@code max} (then up to a limit's worth of it is read and dropped,
   * {@link #refuse}), or once a body sent in chunks, which declares no length, has been read a byte past it.
   */
  public static Optional<byte[]> readAtMost(HttpExchange exchange, int max, Answer tooLarge)
      throws IOException {
    if (declaredLength(exchange) > max) {
      refuse(exchange, max + 1L, tooLarge);
      return Optional.empty();
    }
    byte[] body = exchange.getRequestBody().readNBytes(max + 1);
    if (body.length > max) {
      refuse(exchange, 0, tooLarge);
      return Optional.empty();
    }
    return Optional.of(body);
  }

  /**
   * Answers with {@code Connection: close}, flushed at once, then reads and drops up to {@code drain} bytes of the
   * body before the connection closes. Without the drop (0), the JDK's server reads at most 64 KB more of the body
   * and closes the connection on the rest, so an oversized or unwanted upload costs no more than that. With it, a
   * client that reads the answer only once it has sent its whole body (the AWS SDKs do) gets it when the body is not
   * much over the limit, as it did when the body was read first; one that reads while it sends has it at once either
   * way. The drop is bounded in bytes, and in time by the JDK's server, which closes a connection whose request is
   * not in after 30 seconds ({@link Loopback#limitRequestTime}).
   */
  public static void refuse(HttpExchange exchange, long drain, Answer answer) throws IOException {
    exchange.getResponseHeaders().set("Connection", "close");
    try (exchange) {
      OutputStream out = exchange.getResponseBody();
      if (drain > 0) {
        // Closing the answer's stream would make the JDK's server end the request's too, before
        // the drop: the writer's close only flushes.
        exchange.setStreams(null, new FilterOutputStream(out) {
          @Override
          public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
          }

          @Override
          public void close() throws IOException {
            flush();
          }
        });
      }
      answer.write(exchange);
      out.flush();
      drop(exchange.getRequestBody(), drain);
      // Closing the exchange closes the answer's own stream again, which ends the exchange, and the
      // connection with it (Connection: close); the writer's stream would leave it open.
      exchange.setStreams(null, out);
    }
  }

  /** Reads and drops up to {@code bytes} of {@code body}; a client that has gone ends it early. */
  private static void drop(InputStream body, long bytes) {
    byte[] chunk = new byte[64 * 1024];
    long left = bytes;
    try {
      int read;
      while (left > 0 && (read = body.read(chunk, 0, (int) Math.min(chunk.length, left))) > 0) {
        left -= read;
      }
    } catch (IOException gone) {
      // The answer is sent; what the client does with the rest is its own.
    }
  }
}
