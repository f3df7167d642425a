package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.ui.UiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The page of {@code offhours ui} on a stack that accepts connections and never answers (AWS or moto_server hung,
 * here a socket that accepts and reads nothing), made as {@link UiCommand#run} makes it ({@link UiCommand#page}):
 * GET /api/status and a thumbnail say in the page's words that the stack did not answer once the page's own deadline
 * has passed, {@link UiCommand#READ_CALL}, not the CLI's {@link AwsClients#CALL_TIMEOUT}, which the CLI's own clients
 * keep; the SDK's own words go to the page server's log.
 */
class UiHungStackTest {

  private static final Map<String, String> PARAMETERS = DeployedParameters.PROD;

  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Logger serverLog = Logger.getLogger(UiServer.class.getName());
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logged.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private ServerSocket hung;

  @BeforeEach
  void listen() {
    serverLog.addHandler(handler);
  }

  @AfterEach
  void close() throws IOException {
    serverLog.removeHandler(handler);
    if (hung != null) {
      hung.close();
    }
    for (Socket socket : accepted) {
      socket.close();
    }
  }

  @Test
  void aHungStackIsSaidWithinThePagesDeadlineInThePagesWords() throws Exception {
    try (Target target = hungTarget();
        Served served = serve(target)) {
      HttpResponse<String> status = served.get("/api/status");

      assertThat(accepted).as("the page's read reached the hung stack").isNotEmpty();
      assertThat(status.statusCode()).isEqualTo(502);
      assertThat(status.body())
          .as("cut at the page's deadline, said in the page's words")
          .matches("\\{\"message\":\"the stack did not answer within "
              + UiCommand.READ_CALL.toSeconds()
              + " s, where the page cuts its reads \\((DynamoDB|SQS)'s \\w+\\)\"}");
      assertThat(logged)
          .as("the SDK's words, in the page server's log")
          .anySatisfy(record -> assertThat(record.getMessage())
              .startsWith("GET /api/status: the stack did not answer within ")
              .endsWith(": Client execution did not complete before the specified timeout"
                  + " configuration: " + UiCommand.READ_CALL.toMillis() + " millis"));
      try (DynamoDbClient own = target.dynamoDb()) {
        assertThat(own.serviceClientConfiguration().overrideConfiguration().apiCallTimeout())
            .as("the CLI's own clients are cut where they were")
            .contains(AwsClients.CALL_TIMEOUT);
      }
    }
  }

  @Test
  void aThumbnailOfAHungS3IsCutAtThePagesDeadline() throws Exception {
    try (Target target = hungTarget();
        Served served = serve(target)) {
      HttpResponse<String> thumbnail = served.get("/api/thumb?key=cat.jpg");

      assertThat(thumbnail.statusCode()).isEqualTo(502);
      assertThat(thumbnail.body())
          .isEqualTo("{\"message\":\"the stack did not answer within "
              + UiCommand.READ_CALL.toSeconds()
              + " s, where the page cuts its reads (S3's HeadObject)\"}");
    }
  }

  @Test
  void readmeSaysThePagesDeadlines() throws IOException {
    String readme = Files.readString(Path.of("README.md")).replaceAll("\\s+", " ");

    assertThat(readme)
        .contains("the page's reads are cut at " + UiCommand.READ_ATTEMPT.toSeconds()
            + " s an attempt and "
            + UiCommand.READ_CALL.toSeconds() + " s a call, not at the CLI's "
            + AwsClients.CALL_TIMEOUT.toSeconds() + " s")
        .contains("`the stack did not answer within " + UiCommand.READ_CALL.toSeconds()
            + " s, where the page cuts its reads (DynamoDB's Query)`");
  }

  /** The page's server on {@code target}'s page, as {@code ui --stack prod} serves it. */
  private record Served(UiCommand.StackPage page, UiServer server) implements AutoCloseable {
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
      URI url = server.url();
      String token = url.getQuery().substring("token=".length());
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(url.resolve(path))
                  .header("X-Offhours-Token", token)
                  // Not a measure: a page that waits out the CLI's 50 s fails here instead.
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
      server.close();
      page.data().close();
      page.reader().close();
    }
  }

  private static Served serve(Target target) throws IOException {
    PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
    Context context = new Context(
        nowhere,
        nowhere,
        Map.of(),
        Path.of("unused"),
        false,
        Clock.fixed(Instant.parse("2026-11-25T14:00:00Z"), ZoneOffset.UTC),
        () -> {
          throw new AssertionError("the page uses the target's clients");
        });
    Invocation call =
        new Invocation(new Arguments(List.of(), Map.of(Option.STACK.name(), "prod")), context);
    UiCommand.StackPage page = UiCommand.page(call, target);
    return new Served(page, UiCommand.serve(page.data(), 0, page.settings()));
  }

  /** Stack prod, every service of it the hung socket. */
  private Target hungTarget() throws IOException {
    URI stack = hungStack();
    Map<Service, URI> endpoints = new EnumMap<>(Service.class);
    for (Service service : Service.values()) {
      endpoints.put(service, stack);
    }
    return new Target(
        "stack prod",
        "stack prod",
        false,
        AwsClients.local(Region.US_EAST_1, endpoints),
        Map.of(
            Target.Name.BUCKET, "offhours-images",
            Target.Name.QUEUE_URL, stack + "/123/offhours-queue",
            Target.Name.DLQ_URL, stack + "/123/offhours-dlq",
            Target.Name.RESULTS_TABLE, "offhours-results",
            Target.Name.CONTROL_TABLE, "offhours-control",
            Target.Name.ENDPOINT, "offhours-endpoint"),
        Optional.empty(),
        Targets.settingsFromParameters(PARAMETERS),
        Map.of());
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
