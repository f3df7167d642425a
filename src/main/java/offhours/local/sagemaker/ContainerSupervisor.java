package offhours.local.sagemaker;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Starts model containers with the launcher registered for their image and waits until they are healthy: SageMaker
 * puts a variant in service only once its container answers {@code GET /ping} with 200
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html#your-algorithms-inference-algo-ping-requests).
 */
final class ContainerSupervisor {
  private static final String PING_FAILURE =
      "The primary container for production variant %s did not pass the ping"
          + " health check. Please check CloudWatch logs for this endpoint.";

  /** How many ports a container command is started on before its endpoint fails, as MotoServer tries. */
  static final int PORT_ATTEMPTS = 3;

  private static final String TAKEN = "the server on port ";

  /**
   * How a server says, lower-cased, that its port is taken: the strerror of EADDRINUSE (C, Python's OSError, Node's
   * code) and Java's BindException.
   */
  private static final List<String> ADDRESS_IN_USE =
      List.of("address already in use", "eaddrinuse", "address in use");

  /** A healthy container, or why there is none. */
  record ContainerStart(ModelContainer container, String failure) {}

  private final Map<String, ContainerLauncher> launchers;
  private final HttpClient http;
  private final Duration pingTimeout;

  ContainerSupervisor(
      Map<String, ContainerLauncher> launchers, HttpClient http, Duration pingTimeout) {
    this.launchers = new java.util.concurrent.ConcurrentHashMap<>(launchers);
    this.http = http;
    this.pingTimeout = pingTimeout;
  }

  /** Serves {@code image} with {@code launcher} from now on; an image served already is refused. */
  void add(String image, ContainerLauncher launcher) {
    if (launchers.putIfAbsent(image, launcher) != null) {
      throw new IllegalArgumentException("image " + image + " is served already");
    }
  }

  /** Serves {@code image} no longer: a model of it is refused from now on, and its endpoint fails to launch. */
  void remove(String image) {
    launchers.remove(image);
  }

  boolean serves(String image) {
    return launchers.containsKey(image);
  }

  /**
   * The launcher's verdict on a model of {@code image}, see {@link ContainerLauncher#check}; an image served no longer
   * is refused.
   */
  void check(String image, String modelDataUrl, Map<String, String> environment) {
    ContainerLauncher launcher = launchers.get(image);
    if (launcher == null) {
      throw new IllegalArgumentException("image " + image + " is served no longer");
    }
    launcher.check(modelDataUrl, environment);
  }

  Set<String> images() {
    return new TreeSet<>(launchers.keySet());
  }

  /**
   * Launches the container of {@code spec} and waits for its ping; never throws. A container command whose port was
   * taken before it bound it (it exited saying so, or a server provably not its own answered its ping, see
   * {@link PortHolder}) is started again on another port, up to {@link #PORT_ATTEMPTS} times in all, as
   * {@code MotoServer} does.
   */
  ContainerStart start(ContainerSpec spec, String variantName) {
    for (int attempt = 1; ; attempt++) {
      ModelContainer container;
      try {
        container = launchers.get(spec.image()).launch(spec);
      } catch (Exception e) {
        return new ContainerStart(
            null,
            "Failed to launch the primary container (image " + spec.image()
                + ") for production variant " + variantName + ": " + e.getMessage());
      }
      Optional<String> failure = awaitPing(container).or(() -> stranger(container));
      if (failure.isEmpty()) {
        return new ContainerStart(container, null);
      }
      container.close();
      if (attempt >= PORT_ATTEMPTS || !portTaken(container, failure.get())) {
        return new ContainerStart(
            null, PING_FAILURE.formatted(variantName) + " Local detail: " + failure.get());
      }
    }
  }

  /**
   * Why the server that answered the ping of {@code container} is provably not its own, if it is: a container command
   * serves on a port it was handed, and another server that took the port first answers in its place
   * ({@link PortHolder}). Empty for other containers (they bind port 0 themselves) and where it may be its own.
   */
  private static Optional<String> stranger(ModelContainer container) {
    if (!(container instanceof CommandLauncher.CommandContainer c)) {
      return Optional.empty();
    }
    int port = c.baseUri().getPort();
    return PortHolder.stranger(port, c.token())
        .map(why -> TAKEN + port + " answered /ping, but " + why
            + "; it took the port before the command bound it");
  }

  /** Whether {@code failure} of {@code container} is its port taken by another process, which another port avoids. */
  private static boolean portTaken(ModelContainer container, String failure) {
    if (!(container instanceof CommandLauncher.CommandContainer c)) {
      return false;
    }
    if (failure.startsWith(TAKEN)) {
      return true;
    }
    String lastLine = c.lastLogLine().orElse("").toLowerCase(Locale.ROOT);
    return ADDRESS_IN_USE.stream().anyMatch(lastLine::contains);
  }

  /**
   * What the shell that runs the command ({@code /bin/sh -c}) means by 127 and 126: no such command, and a file
   * found but not executable, as POSIX shells and bash agree
   * (https://www.gnu.org/software/bash/manual/html_node/Exit-Status.html). A typo in --container-command, or a script
   * without its execute bit, reads as such rather than as a model that crashed.
   */
  private static String shellSays(int status) {
    return switch (status) {
      case 127 -> " (the shell found no such command: check --container-command)";
      case 126 -> " (the command was found but could not be run: is it executable?)";
      default -> "";
    };
  }

  /**
   * How the command of {@code c}, which has exited, ended: its status, what the shell means by it, {@code when}, and
   * the last line of its log, so that whoever reads the reason need not open the log to see why.
   */
  static String howItEnded(CommandLauncher.CommandContainer c, String when) {
    int status = c.process().exitValue();
    return "the container command exited with status " + status + shellSays(status) + when + "; "
        + c.lastLogLine()
            .map(line -> "its log " + c.log() + " ends: " + line)
            .orElse("see its log " + c.log() + " (it wrote nothing)");
  }

  /** What the stack's log says when the container of {@code endpoint} ended on its own and is being replaced. */
  static String replacing(String endpoint, ModelContainer ended) {
    return "the container of endpoint " + endpoint + " ended on its own ("
        + (ended instanceof CommandLauncher.CommandContainer c ? howItEnded(c, "") : "it stopped")
        + "); starting a new one, as SageMaker replaces an unhealthy instance. Until it answers /ping,"
        + " invocations answer 503 ServiceUnavailable and Classify hands the uploads back to the queue";
  }

  /** Polls {@code GET /ping} until 200, the ping timeout, or the container process exits; empty when healthy. */
  private Optional<String> awaitPing(ModelContainer container) {
    long deadline = System.nanoTime() + pingTimeout.toNanos();
    URI ping = container.baseUri().resolve("/ping");
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (container instanceof CommandLauncher.CommandContainer c
          && !c.process().isAlive()) {
        return Optional.of(howItEnded(c, " before /ping answered 200"));
      }
      try {
        HttpResponse<Void> response = http.send(
            HttpRequest.newBuilder(ping).timeout(Duration.ofSeconds(2)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return Optional.empty();
        }
        last = "GET " + ping + " answered " + response.statusCode();
      } catch (ConnectException e) {
        last = "nothing listens on " + container.baseUri()
            + (container instanceof CommandLauncher.CommandContainer
                ? ": the command must serve on the port $SAGEMAKER_BIND_TO_PORT names ("
                    + container.baseUri().getPort() + ")"
                : "");
      } catch (IOException e) {
        last = "GET " + ping + " failed: " + e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("interrupted while waiting for " + ping);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("interrupted while waiting for " + ping);
      }
    }
    return Optional.of(
        "no 200 from " + ping + " within " + seconds(pingTimeout) + " (" + last + ")");
  }

  /** {@code d} as a person reads it in a failure reason: "60 s", "0.5 s" (not Duration's "PT1M"). */
  static String seconds(Duration d) {
    return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
  }
}
