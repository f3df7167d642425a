package offhours.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A container that drops a kept-alive connection as the next request arrives (what an HTTP/1.0 server's silent close
 * looks like to a pooling client): the invocation is sent again on a fresh connection, once.
 */
class StaleConnectionTest {

  /**
   * Answers the first request of each connection with a keep-alive 200; reads the second and closes without a byte.
   * With {@code alwaysDrop}, closes every request's connection without a byte.
   */
  private static Thread server(ServerSocket socket, AtomicInteger requests, boolean alwaysDrop) {
    Thread t = new Thread(() -> {
      while (!socket.isClosed()) {
        try (Socket c = socket.accept()) {
          BufferedReader in = new BufferedReader(
              new InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1));
          OutputStream out = c.getOutputStream();
          for (int onThisConnection = 0; ; onThisConnection++) {
            int length = readHead(in);
            if (length < 0) {
              break;
            }
            in.skip(length);
            requests.incrementAndGet();
            if (alwaysDrop || onThisConnection == 1) {
              break; // closed without a byte
            }
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\n\r\n[]")
                .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
          }
        } catch (IOException e) {
          // the test closed the socket
        }
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The request head's Content-Length, or -1 at the end of the stream. */
  private static int readHead(BufferedReader in) throws IOException {
    int length = 0;
    String line = in.readLine();
    if (line == null) {
      return -1;
    }
    while ((line = in.readLine()) != null && !line.isEmpty()) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    return length;
  }

  private static HttpRequest invocation(ServerSocket socket) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/invocations"))
        .POST(HttpRequest.BodyPublishers.ofString("{}"))
        .build();
  }

  @Test
  void aConnectionDroppedBeforeAnyByteIsRetriedOnceOnAFreshOne() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      server(socket, requests, false);
      assertThat(Invoker.send(http, invocation(socket)).statusCode()).isEqualTo(200);
      // Sent on the pooled connection, which the container drops: answered on a new one.
      assertThat(Invoker.send(http, invocation(socket)).statusCode()).isEqualTo(200);
      assertThat(requests).hasValue(3);
    }
  }

  @Test
  void aContainerThatNeverAnswersFailsAfterTheOneRetry() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      server(socket, requests, true);
      assertThatThrownBy(() -> Invoker.send(http, invocation(socket)))
          .isInstanceOf(IOException.class);
      assertThat(requests).hasValue(2);
    }
  }
}
