package offhours.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The local front's refusals, over a real socket: each says why, whole, before any handler runs. */
class LocalApiGatewayTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aRefusedRequestReadsItsWholeReason() throws Exception {
    try (LocalApiGateway gateway = LocalApiGateway.start(
        (in, out, context) -> {
          throw new AssertionError("a refused request reached the handler");
        },
        Clock.systemUTC())) {
      int port = gateway.endpoint().getPort();
      String own = "127.0.0.1:" + port;
      String bearer = "Authorization: Bearer " + gateway.token() + "\r\n";

      Answer rebound = get(port, "Host: evil:" + port + "\r\n" + bearer);
      assertThat(rebound.status).isEqualTo(403);
      assertThat(rebound.message)
          .isEqualTo("Host 'evil:" + port + "' is not this server; call http://" + own);

      Answer page = get(port, "Host: " + own + "\r\nOrigin: https://evil.example\r\n" + bearer);
      assertThat(page.status).isEqualTo(403);
      assertThat(page.message)
          .isEqualTo("requests from web pages (with an Origin header) are refused");

      Answer stranger =
          get(port, "Host: " + own + "\r\nAuthorization: Bearer " + "0".repeat(64) + "\r\n");
      assertThat(stranger.status).isEqualTo(401);
      assertThat(stranger.head).containsIgnoringCase("WWW-Authenticate: Bearer");
      assertThat(stranger.message)
          .startsWith("send 'Authorization: Bearer TOKEN' with the token of this local stack");
    }
  }

  private record Answer(int status, String head, String message) {}

  /** GET /status with {@code headers} (each ending in CRLF), read whole. */
  private static Answer get(int port, String headers) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /status HTTP/1.1\r\n" + headers + "Connection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String whole = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int split = whole.indexOf("\r\n\r\n");
      String head = whole.substring(0, split);
      JsonNode body = JSON.readTree(whole.substring(split + 4));
      return new Answer(
          Integer.parseInt(head.split(" ")[1]), head, body.get("message").asText());
    }
  }
}
