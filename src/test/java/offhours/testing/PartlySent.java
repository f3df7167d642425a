package offhours.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request whose body is sent only in part, for the refusals a server must give before the rest arrives (a body
 * declared or found over its limit, a request from a page).
 */
public final class PartlySent {
  private PartlySent() {}

  /**
   * Sends {@code head} (the request line and its headers, each ending in CRLF, without the blank line) and
   * {@code part}, the start of the body it declares, keeps sending nothing more, and reads the answer's head and body (by
   * its Content-Length). A server that waits for the rest of the body before it answers never does: the read then
   * fails after a minute. Read by its length, not to the end: a server that closes the connection on the unread rest
   * may reset it, and a read to the end would then lose the answer.
   */
  public static String answer(int port, String head, byte[] part) throws Exception {
    try (Socket socket = sent(port, head, part)) {
      InputStream in = socket.getInputStream();
      StringBuilder answer = new StringBuilder();
      while (!answer.toString().endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) {
          return answer.toString();
        }
        answer.append((char) c);
      }
      Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(answer.toString());
      assertThat(length.find()).as("a Content-Length in %s", answer).isTrue();
      byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
      return answer + new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * A connection to 127.0.0.1:{@code port} on which {@code head} (without the blank line) and {@code bytes} are sent;
   * its reads give up after a minute, so a server that never answers fails the test instead of hanging it.
   */
  static Socket sent(int port, String head, byte[] bytes) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    try {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      out.write((head + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }
}
