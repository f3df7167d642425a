package offhours.local.sagemaker;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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

  /** A healthy container, or why there is none. */
  record ContainerStart(ModelContainer container, String failure) {}

  private final Map<String, ContainerLauncher> launchers;
  private final HttpClient http;
  private final Duration pingTimeout;

  ContainerSupervisor(
      Map<String, ContainerLauncher> launchers, HttpClient http, Duration pingTimeout) {
    this.launchers = Map.copyOf(launchers);
    this.http = http;
    this.pingTimeout = pingTimeout;
  }

  boolean serves(String image) {
    return launchers.containsKey(image);
  }

  /** The launcher's verdict on a model of {@code image}, see {@link ContainerLauncher#check}. */
  void check(String image, String modelDataUrl, Map<String, String> environment) {
    launchers.get(image).check(modelDataUrl, environment);
  }

  Set<String> images() {
    return new TreeSet<>(launchers.keySet());
  }

  /** Launches the container of {@code spec} and waits for its ping; never throws. */
  ContainerStart start(ContainerSpec spec, String variantName) {
    ModelContainer container;
    try {
      container = launchers.get(spec.image()).launch(spec);
    } catch (Exception e) {
      return new ContainerStart(
          null,
          "Failed to launch the primary container (image " + spec.image()
              + ") for production variant " + variantName + ": " + e.getMessage());
    }
    Optional<String> pingFailure = awaitPing(container);
    if (pingFailure.isPresent()) {
      container.close();
      return new ContainerStart(
          null, PING_FAILURE.formatted(variantName) + " Local detail: " + pingFailure.get());
    }
    return new ContainerStart(container, null);
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
