package offhours.local.auth;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import offhours.local.api.UnreadBody;
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
    Optional<byte[]> read =
        UnreadBody.readAtMost(exchange, maxBody, answer -> errors.write(answer, tooLarge));
    if (read.isEmpty()) {
      return;
    }
    byte[] body = read.get();
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
   * Answers at once with {@code Connection: close}, reading nothing of the body but what the JDK's server reads on
   * closing (at most 64 KB): a page, or a request the guard refuses ({@link UnreadBody#refuse}).
   */
  private void refuse(HttpExchange exchange, Refusal refusal) throws IOException {
    UnreadBody.refuse(exchange, 0, answer -> errors.write(answer, refusal));
  }

  @Override
  public String description() {
    return "checks Origin, Host and the SigV4 signature of every request";
  }
}
