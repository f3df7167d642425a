package offhours.testing;

import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A request whose answer is read to the end of the connection, not by its length: what a client does that reads
 * until the server closes, as a shell's {@code nc} does. A refusal whose exchange never ends (a drop of the body that
 * left the answer's stream unclosed) never reaches that end: the read fails after a minute. One answered without
 * {@code Connection: close} reaches it only when the JDK's server closes the idle connection, about 30 seconds later,
 * so a test checks that header too. The request asks for no close itself, so the close checked is the server's own.
 */
public final class ReadToClose {
  private ReadToClose() {}

  /**
   * Sends {@code head} (the request line and its headers, each ending in CRLF, without the blank line) and
   * {@code body}, all of it before reading, and returns all the server sends until it closes the connection.
   */
  public static String answer(int port, String head, byte[] body) throws Exception {
    try (Socket socket = PartlySent.sent(port, head, body)) {
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
