package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.endpoint.LedgerPrices;
import offhours.stack.Hosting;
import offhours.ui.AwsUiData;
import offhours.ui.FixedPageSettings;
import offhours.ui.UiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The page of {@code offhours ui} on a stack that accepts connections and never answers (AWS or moto_server hung,
 * here a socket that accepts and reads nothing): GET /api/status says the stack did not answer once the page's own
 * deadline has passed, {@link UiCommand#READ_CALL}, not the CLI's {@link AwsClients#CALL_TIMEOUT}, which the CLI's own
 * clients keep.
 */
class UiHungStackTest {

  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private ServerSocket hung;

  @AfterEach
  void close() throws IOException {
    if (hung != null) {
      hung.close();
    }
    for (Socket socket : accepted) {
      socket.close();
    }
  }

  @Test
  void aHungStackIsSaidWithinThePagesDeadline() throws Exception {
    URI stack = hungStack();
    Target target = new Target(
        "the local stack",
        "the local stack's state file f",
        true,
        AwsClients.local(
            Region.US_EAST_1,
            Map.of(Service.S3, stack, Service.SQS, stack, Service.DYNAMODB, stack)),
        Map.of(
            Target.Name.BUCKET, "offhours-images",
            Target.Name.QUEUE_URL, stack + "/123/offhours-queue",
            Target.Name.DLQ_URL, stack + "/123/offhours-dlq",
            Target.Name.RESULTS_TABLE, "offhours-results",
            Target.Name.CONTROL_TABLE, "offhours-control",
            Target.Name.ENDPOINT, "offhours-endpoint"),
        Optional.empty(),
        Map.of(),
        Map.of());
    try (target;
        AwsUiData data = new AwsUiData(
            UiCommand.view(UiCommand.forPage(target)),
            Clock.fixed(Instant.parse("2026-11-25T14:00:00Z"), ZoneOffset.UTC),
            action -> Map.of(),
            FixedPageSettings.of(
                new AwsUiData.Pricing(
                    ZoneId.of("UTC"),
                    LedgerPrices.listed(Hosting.SCHEDULED, "ml.m5.large", 1, 0.115)),
                () -> null,
                seen -> null));
        UiServer server = UiServer.start(data, 0, FixedPageSettings::uploadRules)) {
      URI page = server.url();
      String token = page.getQuery().substring("token=".length());

      HttpResponse<String> status = HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(page.resolve("/api/status"))
                  .header("X-Offhours-Token", token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(accepted).as("the page's read reached the hung stack").isNotEmpty();
      assertThat(status.statusCode()).isEqualTo(502);
      assertThat(status.body())
          .startsWith("{\"message\":\"the stack did not answer: ")
          .as("cut at the page's deadline")
          .contains(" " + UiCommand.READ_CALL.toMillis() + " millis");
      try (DynamoDbClient own = target.dynamoDb()) {
        assertThat(own.serviceClientConfiguration().overrideConfiguration().apiCallTimeout())
            .as("the CLI's own clients are cut where they were")
            .contains(AwsClients.CALL_TIMEOUT);
      }
    }
  }

  @Test
  void readmeSaysThePagesDeadlines() throws IOException {
    String readme = Files.readString(Path.of("README.md")).replaceAll("\\s+", " ");

    assertThat(readme)
        .contains("the page's reads are cut at " + UiCommand.READ_ATTEMPT.toSeconds()
            + " s an attempt and "
            + UiCommand.READ_CALL.toSeconds() + " s a call, not at the CLI's "
            + AwsClients.CALL_TIMEOUT.toSeconds() + " s");
  }

  /** A socket on 127.0.0.1 that accepts every connection and never reads nor answers. */
  private URI hungStack() throws IOException {
    hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(
        () -> {
          try {
            while (true) {
              accepted.add(hung.accept());
            }
          } catch (IOException closed) {
            // the test is over
          }
        },
        "hung-stack");
    acceptor.setDaemon(true);
    acceptor.start();
    return URI.create("http://127.0.0.1:" + hung.getLocalPort());
  }
}
