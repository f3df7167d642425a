package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.LogRecord;
import javax.imageio.ImageIO;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.testing.LogRecords;
import offhours.testing.SlowS3;
import offhours.testing.StubHttpServer;
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
 * keep; the SDK's own words go to the page server's log. On an S3 that sends slowly ({@link SlowS3}): a thumbnail's
 * source that stops part-way is cut at {@link UiCommand#READ_STALL}, one reset part-way is a read cut short too, one
 * that keeps coming loads past every cut, and an upload that S3 answers after the page's cut of a read is stored.
 */
class UiHungStackTest {

  private static final Map<String, String> PARAMETERS = DeployedParameters.PROD;

  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private LogRecords serverLog;
  private List<LogRecord> logged;
  private ServerSocket hung;

  @BeforeEach
  void listen() {
    serverLog = new LogRecords(UiServer.class);
    logged = serverLog.records();
  }

  @AfterEach
  void close() throws IOException {
    serverLog.close();
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
              + " s, where the page cuts its reads \\((DynamoDB|SQS)'s \\w+\\)\","
              + "\"answered\":false}");
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
              + " s, where the page cuts its reads (S3's HeadObject)\",\"answered\":false}");
    }
  }

  @Test
  void aThumbnailWhoseSourceStallsPartWayIsCutOnceNoByteOfItHasComeForTheReadStall()
      throws Exception {
    // A phone's photo, 2 MB: over the 512 KB the JDK's keep-alive cleaner would drain of a body
    // left part-read, 5 s more, so its connection is closed as soon as the page lets it go.
    try (SlowS3 s3 = SlowS3.stallingAfter(new byte[2 * 1024 * 1024], 1_000);
        Target target = target(hungStack(), s3.uri());
        Served served = serve(target)) {
      HttpResponse<String> thumbnail = served.get("/api/thumb?key=cat.png");

      assertThat(thumbnail.statusCode())
          .as(
              "answered once the source is silent for %s, not after the socket's 70 s",
              UiCommand.READ_STALL)
          .isEqualTo(502);
      assertThat(thumbnail.body())
          .isEqualTo("{\"message\":\"S3 stopped sending cat.png part-way; the page cut the read:"
              + " Read timed out\",\"answered\":false}");
      assertThat(logged)
          .as("a read the page cut, in its server's log")
          .singleElement()
          .satisfies(record -> assertThat(record.getMessage())
              .isEqualTo("GET /api/thumb: S3 stopped sending cat.png part-way; the page cut the"
                  + " read: Read timed out"));
      assertThat(s3.stalledDropped(Duration.ofSeconds(10)))
          .as("the page's thread let the stalled source go, its connection closed")
          .isTrue();
    }
  }

  /**
   * A source whose connection is reset part-way is a read cut short, as a stalled one is: the page says S3 broke off
   * sending it, and its server's log counts it as a cut read, the first of an outage, not as an answer of the stack.
   */
  @Test
  void aThumbnailWhoseSourceIsResetPartWayIsACutRead() throws Exception {
    try (SlowS3 s3 = SlowS3.resettingAfter(new byte[2 * 1024 * 1024], 1_000);
        Target target = target(hungStack(), s3.uri());
        Served served = serve(target)) {
      HttpResponse<String> thumbnail = served.get("/api/thumb?key=cat.png");

      assertThat(thumbnail.statusCode()).isEqualTo(502);
      assertThat(thumbnail.body())
          .startsWith(
              "{\"message\":\"the connection to S3 broke while it sent cat.png, part-way; the"
                  + " read is cut: ");
      assertThat(logged)
          .as("a read cut short, in its server's log")
          .singleElement()
          .satisfies(record -> assertThat(record.getMessage())
              .startsWith(
                  "GET /api/thumb: the connection to S3 broke while it sent cat.png, part-way;"
                      + " the read is cut: "));
    }
  }

  /**
   * Start on a stack whose Lambda answers the controller's Invoke with an error of its own (no such function): the page
   * says the stack answered with an error, in the CLI's words, not that it did not answer.
   */
  @Test
  void aControllerTheStackSaysDoesNotExistIsAnAnswerOfTheStack() throws Exception {
    try (StubHttpServer lambda = StubHttpServer.start(request -> StubHttpServer.Reply.json(
                404,
                "{\"Type\":\"User\",\"message\":\"Function not found:"
                    + " arn:aws:lambda:us-east-1:123456789012:function:offhours-controller\"}")
            .withHeader("x-amzn-ErrorType", "ResourceNotFoundException"));
        Target target = target(hungStack(), Map.of(Service.LAMBDA, lambda.uri()));
        Served served = serve(target)) {
      HttpResponse<String> start = served.post("/api/endpoint/start", new byte[0]);

      assertThat(start.statusCode()).isEqualTo(502);
      assertThat(start.body())
          .as(
              "Lambda's answer through the alias is the same for a missing function and a missing alias")
          .isEqualTo("{\"message\":\"the stack answered with an error: function offhours-controller"
              + " (ControllerFunctionName of stack prod), or its alias live, does not exist; check that --stack"
              + " names the stack you"
              + " mean; a function deleted outside CloudFormation is not created again by an update that changes"
              + " nothing\"}");
    }
  }

  @Test
  void aThumbnailWhoseSourceKeepsComingSlowlyLoadsLongAfterEveryCut() throws Exception {
    byte[] png = png();
    int parts = 7;
    Duration pause = Duration.ofMillis(900);
    assertThat(pause).as("each pause shorter than a stall").isLessThan(UiCommand.READ_STALL);
    assertThat(pause.multipliedBy(parts - 1))
        .as("the whole source slower than the page's cuts")
        .isGreaterThan(UiCommand.READ_STALL)
        .isGreaterThan(UiCommand.READ_CALL);
    try (SlowS3 s3 = SlowS3.trickling(png, parts, pause);
        Target target = target(hungStack(), s3.uri());
        Served served = serve(target)) {
      HttpResponse<String> thumbnail = served.get("/api/thumb?key=cat.png");

      assertThat(thumbnail.statusCode()).as(thumbnail.body()).isEqualTo(200);
      assertThat(thumbnail.headers().firstValue("Content-Type")).contains("image/jpeg");
    }
  }

  /**
   * The page's upload, through the page's own clients as {@code ui} makes them, to an S3 that answers only after the
   * page's cut of a read: not cut, for uploads are no reads (the CLI's socket timeout, 70 s, is all that bounds one).
   */
  @Test
  void anUploadToAnS3ThatAnswersAfterThePagesReadCutIsStored() throws Exception {
    Duration answerAfter = UiCommand.READ_CALL.plusMillis(500);
    byte[] png = png();
    try (StubHttpServer s3 = StubHttpServer.start(request -> {
          try {
            Thread.sleep(answerAfter.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return StubHttpServer.Reply.empty(200).withHeader("ETag", SlowS3.ETAG);
        });
        Target target = target(hungStack(), s3.uri());
        Served served = serve(target)) {
      HttpResponse<String> upload = served.post("/api/upload?key=cat.png", png);

      assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
      assertThat(upload.body()).contains("\"key\":\"cat.png\"").contains("\"bytes\":" + png.length);
      assertThat(s3.requests()).singleElement().satisfies(put -> {
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.path()).isEqualTo("/offhours-images/cat.png");
        // Sent aws-chunked, as the SDK sends a body with its checksum: the upload's bytes, whole.
        assertThat(put.header("x-amz-decoded-content-length"))
            .isEqualTo(String.valueOf(png.length));
        assertThat(put.body()).containsSequence(png);
      });
    }
  }

  /**
   * Start on a stack whose outputs name no controller function (an older template): no answer of the stack, which was
   * never asked, but the page's own failure, said as such with what to do.
   */
  @Test
  void aStackWithoutTheControllersOutputIsSaidAsThePagesOwnFailureNotAsAnAnswer() throws Exception {
    Map<Target.Name, String> names = new EnumMap<>(NAMES);
    names.remove(Target.Name.CONTROLLER_FUNCTION);
    try (Target target = target(hungStack(), Map.of(), names);
        Served served = serve(target)) {
      HttpResponse<String> start = served.post("/api/endpoint/start", new byte[0]);

      assertThat(accepted).as("the stack, never asked").isEmpty();
      assertThat(start.statusCode()).isEqualTo(500);
      assertThat(start.body())
          .isEqualTo("{\"message\":\"the page cannot ask the controller to start: stack prod has"
              + " no output ControllerFunctionName; update the stack with this version's"
              + " template.yaml\"}");
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
            + " s, where the page cuts its reads (DynamoDB's Query)`")
        .contains("its source once no byte of it has come for " + UiCommand.READ_STALL.toSeconds()
            + " s");
  }

  /** The page's server on {@code target}'s page, as {@code ui --stack prod} serves it. */
  private record Served(UiCommand.StackPage page, UiServer server) implements AutoCloseable {
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
      return send(request(path).GET());
    }

    HttpResponse<String> post(String path, byte[] body) throws IOException, InterruptedException {
      return send(request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private HttpRequest.Builder request(String path) {
      URI url = server.url();
      String token = url.getQuery().substring("token=".length());
      return HttpRequest.newBuilder(url.resolve(path))
          .header("X-Offhours-Token", token)
          // Not a measure: a page that waits out the CLI's 50 s or the socket's 70 s fails here.
          .timeout(Duration.ofSeconds(30));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request)
        throws IOException, InterruptedException {
      return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
      server.close();
      page.data().close();
      page.reader().close();
    }
  }

  private static Served serve(Target target) throws IOException {
    Invocation call = CliRun.quietCall(
        Path.of("unused"),
        Clock.fixed(Instant.parse("2026-11-25T14:00:00Z"), ZoneOffset.UTC),
        Map.of(Option.STACK.name(), "prod"));
    UiCommand.StackPage page = UiCommand.page(call, target);
    return new Served(page, UiCommand.serve(page.data(), 0, page.settings()));
  }

  /** Stack prod, every service of it the hung socket. */
  private Target hungTarget() throws IOException {
    URI stack = hungStack();
    return target(stack, stack);
  }

  /** Stack prod, its S3 at {@code s3}, every other service of it at {@code stack}. */
  private static Target target(URI stack, URI s3) {
    return target(stack, Map.of(Service.S3, s3));
  }

  /** The names of stack prod's outputs. */
  private static final Map<Target.Name, String> NAMES = Map.of(
      Target.Name.BUCKET, "offhours-images",
      Target.Name.QUEUE_URL, "/123/offhours-queue",
      Target.Name.DLQ_URL, "/123/offhours-dlq",
      Target.Name.RESULTS_TABLE, "offhours-results",
      Target.Name.CONTROL_TABLE, "offhours-control",
      Target.Name.ENDPOINT, "offhours-endpoint",
      Target.Name.CONTROLLER_FUNCTION, "offhours-controller");

  /** Stack prod, the services of {@code elsewhere} where it says, every other service of it at {@code stack}. */
  private static Target target(URI stack, Map<Service, URI> elsewhere) {
    return target(stack, elsewhere, NAMES);
  }

  /** As above, with outputs {@code names} (a queue's URL after the stack's address). */
  private static Target target(
      URI stack, Map<Service, URI> elsewhere, Map<Target.Name, String> names) {
    Map<Service, URI> endpoints = new EnumMap<>(Service.class);
    for (Service service : Service.values()) {
      endpoints.put(service, elsewhere.getOrDefault(service, stack));
    }
    return new Target(
        "stack prod",
        "stack prod",
        false,
        AwsClients.local(Region.US_EAST_1, endpoints),
        withQueueUrls(stack, names),
        Optional.empty(),
        Targets.settingsFromParameters(PARAMETERS),
        Map.of());
  }

  /** {@code names} with the queues' URLs after {@code stack}'s address. */
  private static Map<Target.Name, String> withQueueUrls(URI stack, Map<Target.Name, String> names) {
    Map<Target.Name, String> placed = new EnumMap<>(names);
    placed.computeIfPresent(Target.Name.QUEUE_URL, (name, path) -> stack + path);
    placed.computeIfPresent(Target.Name.DLQ_URL, (name, path) -> stack + path);
    return placed;
  }

  /** A small PNG, as an upload and a thumbnail's source. */
  private static byte[] png() throws IOException {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "png", bytes);
    return bytes.toByteArray();
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
