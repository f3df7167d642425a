package offhours.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import offhours.local.process.ProcessRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A container command handed a port that another process took after it was probed is started again on another port,
 * and a ping answered by a server that is provably not the command's (this JVM's, or a process with a stack's mark but
 * not the container's) never puts the endpoint in service, while one answered from outside the command's tree by a
 * process without a mark ({@code docker run -p}'s proxy) or by a server the command daemonized does. Needs {@code sh},
 * {@code sleep} and {@code python3}; Linux (the port's holder is read from /proc).
 */
class ContainerPortTest {
  /**
   * Serves GET /ping with 200 on the port in SAGEMAKER_BIND_TO_PORT (exits with EADDRINUSE when it is taken), or on a
   * port of its own without it; prints the port once it listens, and writes its pid to the file its argument names.
   */
  private static final String SERVER = """
      import http.server, os, sys
      class Ping(http.server.BaseHTTPRequestHandler):
          def do_GET(self):
              self.send_response(200)
              self.end_headers()
          def log_message(self, *args):
              pass
      port = int(os.environ.get("SAGEMAKER_BIND_TO_PORT", "0"))
      server = http.server.HTTPServer(("127.0.0.1", port), Ping)
      if len(sys.argv) > 1:
          with open(sys.argv[1], "w") as f:
              f.write(str(os.getpid()))
      print(server.server_address[1], flush=True)
      server.serve_forever()
      """;

  /** The mark of the stack the tests' container commands belong to, as a stack started by the CLI marks them. */
  private static final String THIS_STACK = "1@2026-12-05T18:00:00Z";

  /** Starts each process as such a stack does: with its mark. */
  private static final ProcessRecorder MARKING = (name, builder) -> {
    builder.environment().put(ProcessRecorder.MARK, THIS_STACK);
    return builder.start();
  };

  @TempDir
  Path logs;

  private HttpServer other;
  private final AtomicInteger otherPings = new AtomicInteger();
  private final List<ModelContainer> started = new ArrayList<>();
  private final List<ProcessHandle> servers = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** A server of this JVM (as the stack's Lambda API) on a port: it answers every ping with 200. */
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
    servers.forEach(ProcessHandle::destroyForcibly); // only those started here, by their handles
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
    keep(start);

    assertThat(start.failure()).isNull();
    assertThat(start.container().baseUri().getPort()).isNotEqualTo(taken);
    assertThat(handedOut).hasValue(2);
  }

  @Test
  void aPingAnsweredByTheStacksOwnProcessNeverPutsTheContainerInService() {
    // The command never binds: only this JVM's server (the stack's, as its Lambda API)
    // answers on the port it is handed, each time.
    int taken = other.getAddress().getPort();
    AtomicInteger handedOut = new AtomicInteger();

    ContainerSupervisor.ContainerStart start = supervisor("exec sleep 300", () -> {
          handedOut.incrementAndGet();
          return taken;
        })
        .start(spec(), "AllTraffic");
    keep(start);

    assertThat(start.container()).isNull();
    assertThat(otherPings.get()).isPositive();
    assertThat(handedOut).hasValue(ContainerSupervisor.PORT_ATTEMPTS);
    assertThat(start.failure())
        .contains("did not pass the ping health check")
        .contains(
            "the server on port " + taken
                + " answered /ping, but the process that listens there (pid "
                + ProcessHandle.current().pid()
                + ") is the stack's own, whose servers (the local SageMaker, the Lambda"
                + " API, the gateway) are not the container; it took the port before the command bound it");
  }

  /** Another stack's server (its mark), or another of this stack's (its moto_server: its mark, no container's). */
  @ParameterizedTest
  @ValueSource(strings = {"2@2026-12-05T17:00:00Z", THIS_STACK})
  void aPingAnsweredByAMarkedServerNotTheContainersIsNeverBelieved(String mark) throws Exception {
    Server holder = server(Map.of(ProcessRecorder.MARK, mark));
    AtomicInteger handedOut = new AtomicInteger();

    ContainerSupervisor.ContainerStart start = supervisor("exec sleep 300", MARKING, () -> {
          handedOut.incrementAndGet();
          return holder.port();
        })
        .start(spec(), "AllTraffic");
    keep(start);

    assertThat(start.container()).isNull();
    assertThat(handedOut).hasValue(ContainerSupervisor.PORT_ATTEMPTS);
    assertThat(start.failure())
        .contains(
            "the server on port " + holder.port() + " answered /ping, but the process that listens"
                + " there (pid " + holder.process().pid()
                + ") carries OFFHOURS_STACK but not this container's"
                + " OFFHOURS_CONTAINER: another stack's process, or another server of this stack (its moto_server,"
                + " another endpoint's container); it took the port before the command bound it");
  }

  @Test
  void aPingAnsweredFromOutsideTheTreeByAProcessWithoutAMarkIsBelieved() throws Exception {
    // As docker run -p HOST:CONTAINER: the command runs on, and the proxy that holds the port on
    // the host is no process of its tree, and carries no mark.
    Server proxy = server(Map.of());

    ContainerSupervisor.ContainerStart start =
        supervisor("exec sleep 300", MARKING, proxy::port).start(spec(), "AllTraffic");
    keep(start);

    assertThat(start.failure()).isNull();
    assertThat(start.container().baseUri().getPort()).isEqualTo(proxy.port());
  }

  @Test
  void aServerTheCommandDaemonizesIsBelieved() throws Exception {
    // The subshell ends at once: the server is no descendant of the command's shell, but it has the
    // container's environment (its mark and its OFFHOURS_CONTAINER).
    Path script = Files.writeString(logs.resolve("server.py"), SERVER);
    Path pidFile = logs.resolve("daemon.pid");
    String command = "(exec python3 " + script + " " + pidFile + " > /dev/null &); exec sleep 300";

    ContainerSupervisor.ContainerStart start =
        supervisor(command, MARKING, ContainerLauncher::freePort).start(spec(), "AllTraffic");
    keep(start);
    if (Files.exists(pidFile)) {
      ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(servers::add);
    }

    assertThat(start.failure()).isNull();
    assertThat(servers).hasSize(1);
    assertThat(start.container().exited()).isNotDone();
    assertThat(((CommandLauncher.CommandContainer) start.container()).process().descendants())
        .doesNotContain(servers.getFirst());
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
        "   2: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4444 1",
        "   3: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4545 1",
        "   4: 0500A8C0:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4646 1");

    // 127.0.0.1:8080 and 0.0.0.0:8080 listen; a connection to 127.0.0.1 never reaches 192.168.0.5.
    assertThat(PortHolder.listening(table, 8080))
        .containsExactlyInAnyOrder("socket:[4242]", "socket:[4545]");
  }

  /** A server on a port of its own, started as a child of this JVM with {@code environment} and nothing else of ours. */
  private Server server(Map<String, String> environment) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder("python3", "-c", SERVER).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().remove(ProcessRecorder.MARK);
    builder.environment().remove(CommandLauncher.CONTAINER_VARIABLE);
    builder.environment().putAll(environment);
    Process process = builder.start();
    servers.add(process.toHandle());
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    return new Server(process.toHandle(), Integer.parseInt(out.readLine().trim()));
  }

  /** A server process and the port it listens on. */
  private record Server(ProcessHandle process, int port) {}

  private void keep(ContainerSupervisor.ContainerStart start) {
    if (start.container() != null) {
      started.add(start.container());
    }
  }

  private ContainerSupervisor supervisor(String command, IntSupplier ports) {
    return supervisor(command, ProcessRecorder.NONE, ports);
  }

  private ContainerSupervisor supervisor(
      String command, ProcessRecorder recorder, IntSupplier ports) {
    CommandLauncher launcher = new CommandLauncher(logs, command, recorder, ports);
    return new ContainerSupervisor(
        Map.of(LocalSageMaker.COMMAND_IMAGE, launcher), http, Duration.ofSeconds(60));
  }

  private static ContainerSpec spec() {
    return new ContainerSpec("e", LocalSageMaker.COMMAND_IMAGE, null, Map.of());
  }
}
