package offhours.local.auth;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import offhours.local.auth.RequestGuard.Refusal;

/**
 * Puts a {@link RequestGuard} in front of a server's handlers: checks Origin, Host and the request line's target
 * first, answers a body whose Content-Length is over the limit before reading it, then reads the whole body (the
 * signature covers it, and no handler runs before it is checked), refuses what the guard refuses in the service's own
 * error shape, and hands the body on to the handler unchanged.
 */
public final class GuardFilter extends Filter {

  /** Writes a refusal the way the service writes its errors. */
  @FunctionalInterface
  public interface ErrorWriter {
    void write(HttpExchange exchange, Refusal refusal) throws IOException;
  }

  private final RequestGuard guard;
  private final int maxBody;
  private final Refusal tooLarge;
  private final ErrorWriter errors;

  /** {@code tooLarge} answers a body over {@code maxBody} bytes, which is never read into memory. */
  public GuardFilter(RequestGuard guard, int maxBody, Refusal tooLarge, ErrorWriter errors) {
    this.guard = guard;
    this.maxBody = maxBody;
    this.tooLarge = tooLarge;
    this.errors = errors;
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    // A page or a rebound name is refused before a byte of its body is read.
    Optional<Refusal> address =
        guard.checkAddress(exchange.getRequestURI(), exchange.getRequestHeaders());
    if (address.isPresent()) {
      refuse(exchange, address.get());
      return;
    }
    // A body whose Content-Length is over the limit is answered before any of it is read (one sent
    // in chunks declares none, and is read up to a byte over the limit, below).
    if (declaredLength(exchange) > maxBody) {
      refuse(exchange, tooLarge, maxBody + 1L);
      return;
    }
    byte[] body = exchange.getRequestBody().readNBytes(maxBody + 1);
    if (body.length > maxBody) {
      refuse(exchange, tooLarge);
      return;
    }
    Optional<Refusal> refusal = guard.check(new RequestGuard.ReceivedRequest(
        exchange.getRequestMethod(),
        exchange.getRequestURI().getRawPath(),
        exchange.getRequestURI().getRawQuery(),
        exchange.getRequestHeaders(),
        body));
    if (refusal.isPresent()) {
      refuse(exchange, refusal.get());
      return;
    }
    exchange.setStreams(new ByteArrayInputStream(body), null);
    chain.doFilter(exchange);
  }

  /**
   * The body's length as its Content-Length declares it, or -1 when it declares none that the JDK's server goes by:
   * a chunked body's (the server reads the chunks, whatever the header says), or a header that is no number.
   */
  private static long declaredLength(HttpExchange exchange) {
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

  /**
   * Answers with {@code Connection: close}, flushed at once: a body left unread is not drained to its end (the JDK's
   * server reads at most 64 KB more of it, then closes the connection), so an oversized or unwanted upload costs no
   * more than that, and the client has its answer while it is still sending.
   */
  private void refuse(HttpExchange exchange, Refusal refusal) throws IOException {
    refuse(exchange, refusal, 0);
  }

  /**
   * As above, then reads and drops up to {@code drain} bytes of the body before the connection closes. A client that
   * reads the answer only once it has sent its whole body (the AWS SDKs do) gets it when the body is not much over
   * the limit, as it did when the body was read first; one that reads while it sends has it at once either way. The
   * drain is bounded in bytes, and in time by the JDK's server, which closes a connection whose request is not in
   * after 30 seconds ({@link offhours.local.api.Loopback#limitRequestTime}).
   */
  private void refuse(HttpExchange exchange, Refusal refusal, long drain) throws IOException {
    exchange.getResponseHeaders().set("Connection", "close");
    try (exchange) {
      OutputStream answer = exchange.getResponseBody();
      if (drain > 0) {
        // The writer closes the answer's stream, and the JDK's server then ends the request's too.
        exchange.setStreams(null, new FilterOutputStream(answer) {
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
      errors.write(exchange, refusal);
      answer.flush();
      drop(exchange.getRequestBody(), drain);
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

  @Override
  public String description() {
    return "checks Origin, Host and the SigV4 signature of every request";
  }
}
