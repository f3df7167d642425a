package offhours.local.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import offhours.local.auth.RequestGuard.Refusal;
import offhours.testing.PartlySent;
import offhours.testing.ReadToClose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the filter answers before a body arrives: a request from a page, one that declares a body over the limit, and
 * one whose chunked body turns out to be over it, get their refusal while the client is still sending, with
 * Connection: close, and the rest of the body is never waited for. (Before, the filter read a page's body first and
 * drained an oversized one to its end: a client that declares a large body and sends it slowly held a server thread.)
 */
class GuardFilterTest {

  private static final int MAX_BODY = 1024;

  private HttpServer server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    port = server.getAddress().getPort();
    RequestGuard guard = new RequestGuard(
        StackCredentials.generate(),
        "us-east-1",
        "sagemaker",
        "the test service",
        Clock.systemUTC());
    guard.listeningOn(port);
    HttpContext context = server.createContext("/", exchange -> {
      throw new AssertionError("a refused request reached the handler");
    });
    context
        .getFilters()
        .add(new GuardFilter(
            guard, MAX_BODY, new Refusal(413, null, "too large"), (exchange, refusal) -> {
              byte[] body =
                  (refusal.status() + " " + refusal.message()).getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(refusal.status(), body.length);
              exchange.getResponseBody().write(body);
            }));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aPageIsRefusedBeforeItsBodyIsRead() throws Exception {
    String answer =
        sendHeadersAndPart("Origin: https://evil.example\r\nContent-Length: 100000000\r\n", 10);

    assertThat(answer)
        .startsWith("HTTP/1.1 403 ")
        .containsIgnoringCase("Connection: close")
        .endsWith("403 the test service does not answer requests from web pages (the request has an"
            + " Origin header); use an AWS SDK or the AWS CLI");
  }

  @Test
  void aBodyDeclaredOverTheLimitIsRefusedBeforeAByteOfItIsRead() throws Exception {
    // Before, the filter read up to the limit first: the answer waited for a body never sent.
    String answer = sendHeadersAndPart("Content-Length: 100000000\r\n", 10);

    assertThat(answer)
        .startsWith("HTTP/1.1 413 ")
        .containsIgnoringCase("Connection: close")
        .endsWith("413 too large");
  }

  @Test
  void anOversizedBodyIsRefusedWithoutWaitingForItsEnd() throws Exception {
    // Chunked, so no length is declared: the limit is found by reading, never beyond it. One chunk
    // a byte over the limit, its CRLF, and the head of a next chunk, which the JDK reads before it
    // says how much it read; no more.
    String answer = PartlySent.answer(
        port,
        "POST /endpoints/e/invocations HTTP/1.1\r\nHost: 127.0.0.1:" + port
            + "\r\nTransfer-Encoding: chunked\r\n",
        concat(
            (Integer.toHexString(MAX_BODY + 1) + "\r\n").getBytes(StandardCharsets.US_ASCII),
            new byte[MAX_BODY + 1],
            "\r\n10\r\n".getBytes(StandardCharsets.US_ASCII)));

    assertThat(answer)
        .startsWith("HTTP/1.1 413 ")
        .containsIgnoringCase("Connection: close")
        .endsWith("413 too large");
  }

  /**
   * Each refusal ends its connection once it is sent, so a client that reads to the end of the connection, not by the
   * answer's length, gets it whole ({@link ReadToClose}): after a drop of part of the body, the JDK's own drain of
   * the rest, or a body read whole. The bodies are all sent, each no more than the server reads of it, so each close
   * is a clean one. A drop that left the connection open was found in UiServerTest only: the tests above read by
   * length, as the SDKs do, and see the answer either way.
   */
  @Test
  void everyRefusalEndsItsConnectionForAClientThatReadsToTheEnd() throws Exception {
    String post = "POST /endpoints/e/invocations HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n";

    // A page: none of its body is read but what the JDK's server drains on closing.
    assertThat(ReadToClose.answer(
            port,
            post + "Origin: https://evil.example\r\nContent-Length: 2000\r\n",
            new byte[2000]))
        .startsWith("HTTP/1.1 403 ")
        .containsIgnoringCase("Connection: close")
        .endsWith("use an AWS SDK or the AWS CLI");
    // Declared over the limit: the limit's worth and a byte read and dropped, the rest drained.
    assertThat(ReadToClose.answer(
            port, post + "Content-Length: " + 3 * MAX_BODY + "\r\n", new byte[3 * MAX_BODY]))
        .startsWith("HTTP/1.1 413 ")
        .containsIgnoringCase("Connection: close")
        .endsWith("413 too large");
    // Chunked, a byte over the limit read, the rest (its last chunk too) drained.
    assertThat(ReadToClose.answer(
            port,
            post + "Transfer-Encoding: chunked\r\n",
            concat(
                (Integer.toHexString(2 * MAX_BODY) + "\r\n").getBytes(StandardCharsets.US_ASCII),
                new byte[2 * MAX_BODY],
                "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII))))
        .startsWith("HTTP/1.1 413 ")
        .containsIgnoringCase("Connection: close")
        .endsWith("413 too large");
    // Within the limit and unsigned: read whole, then refused by the guard.
    assertThat(ReadToClose.answer(port, post + "Content-Length: 100\r\n", new byte[100]))
        .startsWith("HTTP/1.1 403 ")
        .containsIgnoringCase("Connection: close")
        .contains("403 Missing Authentication Token.");
  }

  /** POST {@code headers} and the first {@code part} bytes of the body they declare ({@link PartlySent}). */
  private String sendHeadersAndPart(String headers, int part) throws Exception {
    return PartlySent.answer(
        port,
        "POST /endpoints/e/invocations HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headers,
        new byte[part]);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    Arrays.stream(parts).forEach(all::writeBytes);
    return all.toByteArray();
  }
}
