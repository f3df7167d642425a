package offhours.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class TargetGateTest {

  /**
   * The time to send a request line is bounded as a whole: a client that sends a byte every 300 ms, each well
   * within the gate's 1 s, is cut off after that second. Before, each read had the whole time, so such a client held
   * the gate's thread and both its sockets for as long as it kept sending.
   */
  @Test
  void aClientThatSendsItsRequestLineByteByByteIsCutOffWhenItsTimeIsUp() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TargetGate gate = TargetGate.bind(0, server.getLocalPort(), "/.unplaced", 1);
        Socket client = new Socket(InetAddress.getLoopbackAddress(), gate.port())) {
      gate.accept("gate-test");
      OutputStream out = client.getOutputStream();
      try {
        for (char c : "GET /status".toCharArray()) {
          out.write(c);
          out.flush();
          Thread.sleep(300);
        }
      } catch (IOException cut) {
        // the gate closed the connection while the client still sent
      }
      // Less than the gate gives a read: only a gate that counts the whole time has cut it off.
      client.setSoTimeout(500);
      String end;
      try {
        end = client.getInputStream().read() == -1 ? "closed" : "answered";
      } catch (SocketTimeoutException e) {
        end = "still open";
      } catch (IOException e) {
        end = "closed";
      }
      assertThat(end).isEqualTo("closed");
    }
  }
}
