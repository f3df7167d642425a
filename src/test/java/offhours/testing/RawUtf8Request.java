package offhours.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A request sent over a socket with its target's characters as their raw UTF-8 bytes, unescaped, as curl sends
 * {@code "http://127.0.0.1:PORT/results?object=été.jpg"}: java.net.http and URI would percent-encode them first.
 *
 * @param status the answer's status code
 * @param head the answer's status line and headers
 * @param body the answer's body, as UTF-8 text
 */
public record RawUtf8Request(int status, String head, String body) {

  /**
   * {@code METHOD TARGET HTTP/1.1} to 127.0.0.1:{@code port}, the target's characters as their UTF-8 bytes, with
   * {@code headers} and {@code body}; the whole answer.
   */
  public static RawUtf8Request send(
      int port, String method, String target, Map<String, String> headers, byte[] body)
      throws Exception {
    return send(port, method, target.getBytes(StandardCharsets.UTF_8), headers, body);
  }

  /** As above with the target's bytes as they are: bytes that are not UTF-8 too. */
  public static RawUtf8Request send(
      int port, String method, byte[] target, Map<String, String> headers, byte[] body)
      throws Exception {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes((method + " ").getBytes(StandardCharsets.US_ASCII));
    request.writeBytes(target);
    request.writeBytes(" HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
    StringBuilder lines = new StringBuilder();
    lines.append("Host: 127.0.0.1:").append(port).append("\r\n");
    headers.forEach(
        (name, value) -> lines.append(name).append(": ").append(value).append("\r\n"));
    lines.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
    request.writeBytes(lines.toString().getBytes(StandardCharsets.US_ASCII));
    request.writeBytes(body);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(request.toByteArray());
      out.flush();
      String whole = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int split = whole.indexOf("\r\n\r\n");
      String head = whole.substring(0, split);
      return new RawUtf8Request(
          Integer.parseInt(head.split(" ")[1]), head, whole.substring(split + 4));
    }
  }

  /** GET {@code target} with {@code headers}, no body. */
  public static RawUtf8Request get(int port, String target, Map<String, String> headers)
      throws Exception {
    return send(port, "GET", target, headers, new byte[0]);
  }

  /** GET with the target's bytes as they are (bytes that are not UTF-8 too), no body. */
  public static RawUtf8Request get(int port, byte[] target, Map<String, String> headers)
      throws Exception {
    return send(port, "GET", target, headers, new byte[0]);
  }
}
