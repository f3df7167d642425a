package offhours.local.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.local.auth.RequestGuard.Refusal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the filter answers before a body arrives: a request from a page, and one whose body is over the limit, get
 * their refusal while the client is still sending, with Connection: close, and the rest of the body is never waited
 * for. (Before, the filter read a page's body first and drained an oversized one to its end: a client that declares
 * a large body and sends it slowly held a server thread.)
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
  void anOversizedBodyIsRefusedWithoutWaitingForItsEnd() throws Exception {
    String answer = sendHeadersAndPart("Content-Length: 100000000\r\n", MAX_BODY + 1);

    assertThat(answer)
        .startsWith("HTTP/1.1 413 ")
        .containsIgnoringCase("Connection: close")
        .endsWith("413 too large");
  }

  /**
   * Sends {@code headers} and the first {@code part} bytes of the body they declare, keeps sending nothing more, and
   * reads the answer's head and body (by its Content-Length). A server that waits for the rest of the body before it
   * answers never does: the read then fails after a minute.
   */
  private String sendHeadersAndPart(String headers, int part) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /endpoints/e/invocations HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
              + headers + "\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[part]);
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) {
          return head.toString();
        }
        head.append((char) c);
      }
      Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head.toString());
      assertThat(length.find()).as("a Content-Length in %s", head).isTrue();
      byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
      return head + new String(body, StandardCharsets.UTF_8);
    }
  }
}
