package offhours.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container command handed a port that another process took after it was probed is started again on another port,
 * and a ping answered by that other process never puts the endpoint in service. Needs {@code sh}, {@code sleep} and
 * {@code python3}; Linux (the port's holder is read from /proc).
 */
class ContainerPortTest {
  /** Serves GET /ping with 200 on the port in SAGEMAKER_BIND_TO_PORT; exits with EADDRINUSE when it is taken. */
  private static final String SERVER = """
      import http.server, os
      class Ping(http.server.BaseHTTPRequestHandler):
          def do_GET(self):
              self.send_response(200)
              self.end_headers()
      port = int(os.environ["SAGEMAKER_BIND_TO_PORT"])
      http.server.HTTPServer(("127.0.0.1", port), Ping).serve_forever()
      """;

  @TempDir
  Path logs;

  private HttpServer other;
  private final AtomicInteger otherPings = new AtomicInteger();
  private final List<ModelContainer> started = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Another stack's container on a port: it answers every ping with 200. */
  @BeforeEach
  void anotherServerHoldsAPort() throws Exception {
    other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    other.createContext("/", exchange -> {
      try (exchange) {
        otherPings.incrementAndGet();
        exchange.sendResponseHeaders(200, -1);
      }
    });
    other.start();
  }

  @AfterEach
  void stop() {
    started.forEach(ModelContainer::close);
    other.stop(0);
    http.close();
  }

  @Test
  void aServerWhosePortWasTakenIsStartedAgainOnAnotherPort() throws Exception {
    Path script = Files.writeString(logs.resolve("server.py"), SERVER);
    int taken = other.getAddress().getPort();
    AtomicInteger handedOut = new AtomicInteger();
    IntSupplier ports =
        () -> handedOut.getAndIncrement() == 0 ? taken : ContainerLauncher.freePort();

    ContainerSupervisor.ContainerStart start =
        supervisor("exec python3 " + script, ports).start(spec(), "AllTraffic");
    if (start.container() != null) {
      started.add(start.container());
    }

    assertThat(start.failure()).isNull();
    assertThat(start.container().baseUri().getPort()).isNotEqualTo(taken);
    assertThat(handedOut).hasValue(2);
  }

  @Test
  void aPingAnsweredByAnotherProcessNeverPutsTheContainerInService() {
    // The command never binds: only the other server answers on the port it is handed, each time.
    int taken = other.getAddress().getPort();

    ContainerSupervisor.ContainerStart start =
        supervisor("exec sleep 300", () -> taken).start(spec(), "AllTraffic");
    if (start.container() != null) {
      started.add(start.container());
    }

    assertThat(start.container()).isNull();
    assertThat(otherPings.get()).isPositive();
    assertThat(start.failure())
        .contains("did not pass the ping health check")
        .contains("the server on port " + taken + " answered /ping, but no process of the"
            + " container command listens on it: another process took the port before the"
            + " command bound it");
  }

  @Test
  void aCommandThatSaysItsPortIsInUseIsTriedOnThreePortsThenFails() {
    AtomicInteger handedOut = new AtomicInteger();
    String command = "echo 'OSError: [Errno 98] Address already in use'; exit 1";

    ContainerSupervisor.ContainerStart start = supervisor(command, () -> {
          handedOut.incrementAndGet();
          return ContainerLauncher.freePort();
        })
        .start(spec(), "AllTraffic");

    assertThat(start.container()).isNull();
    assertThat(handedOut).hasValue(ContainerSupervisor.PORT_ATTEMPTS);
    assertThat(start.failure()).contains("exited with status 1").contains("Address already in use");
  }

  @Test
  void aCommandThatFailsOtherwiseIsNotStartedAgain() {
    AtomicInteger handedOut = new AtomicInteger();

    ContainerSupervisor.ContainerStart start = supervisor("echo 'no model here'; exit 3", () -> {
          handedOut.incrementAndGet();
          return ContainerLauncher.freePort();
        })
        .start(spec(), "AllTraffic");

    assertThat(start.container()).isNull();
    assertThat(handedOut).hasValue(1);
    assertThat(start.failure()).contains("exited with status 3").contains("no model here");
  }

  @Test
  void theHolderOfAListeningPortIsReadFromProcNetTcp() {
    List<String> table = List.of(
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1",
        "   1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 4343 1",
        "   2: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4444 1");

    assertThat(PortHolder.listening(table, 8080)).containsExactly("socket:[4242]");
  }

  private ContainerSupervisor supervisor(String command, IntSupplier ports) {
    CommandLauncher launcher = new CommandLauncher(logs, command, ProcessRecorder.NONE, ports);
    return new ContainerSupervisor(
        Map.of(LocalSageMaker.COMMAND_IMAGE, launcher), http, Duration.ofSeconds(60));
  }

  private static ContainerSpec spec() {
    return new ContainerSpec("e", LocalSageMaker.COMMAND_IMAGE, null, Map.of());
  }
}
