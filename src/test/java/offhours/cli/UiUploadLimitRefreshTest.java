package offhours.cli;

import static offhours.endpoint.ControlStateBuilder.controlState;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import offhours.endpoint.DynamoControlTable;
import offhours.stack.Hosting;
import offhours.testing.FakeDynamoDb;
import offhours.testing.MutableClock;
import offhours.testing.QueueAttributesSqs;
import offhours.ui.AwsUiData;
import offhours.ui.Refreshed;
import offhours.ui.UiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The page of {@code offhours ui} on a deployed stack refuses uploads by the stack's limit as it is now, not as it was
 * when the page started: after a {@code sam deploy} from scheduled to serverless hosting (InvokeEndpoint's 6 MiB to a
 * serverless endpoint's 4 MiB), a 5 MB file the page stored before is refused once the settings are a minute old, by
 * the POST, by the check the page asks before sending, and in the limit GET /api/status tells the page; with the same
 * read as the rest of the page's settings, no second DescribeStacks. Its DescribeStacks is a fake CloudFormation's;
 * time is the test's clock, moved by hand; the page's server is a real one on 127.0.0.1, as {@code ui} starts it.
 */
class UiUploadLimitRefreshTest {

  private static final Instant NOW = Instant.parse("2026-11-25T21:00:00Z");

  private static final Map<String, String> PARAMETERS = Map.of(
      "TimeZone", "Europe/Berlin",
      "WorkingHours", "Mon-Fri 08:00-19:00",
      "MaxWaitMinutes", "60",
      "InstanceCount", "1",
      "Hosting", "scheduled");

  /** Between the serverless endpoint's limit and InvokeEndpoint's. */
  private static final int FIVE_MB = 5_000_000;

  private final MutableClock clock = new MutableClock(NOW);
  private final DeployedParameters cloudFormation = new DeployedParameters(PARAMETERS);
  /** What the page stored in the bucket: each key and its size. */
  private final Map<String, Integer> stored = new LinkedHashMap<>();

  private final HttpClient http = HttpClient.newHttpClient();
  private UiServer server;
  private String token;

  @BeforeEach
  void startThePage() throws IOException {
    Target target = TestTargets.deployed(Map.of(), PARAMETERS);
    AwsUiData.StackView view = view();
    StackSettingsReader reader = StackSettingsReader.deployed(target, "prod", cloudFormation);
    Refreshed<AwsUiData.PageSettings> settings = UiCommand.settings(call(), target, view, reader);
    server =
        UiCommand.serve(new AwsUiData(view, clock, action -> Map.of(), settings::get), 0, settings);
    token = server.url().getQuery().substring("token=".length());
  }

  @AfterEach
  void stopThePage() {
    server.close();
  }

  @Test
  void afterARedeployToServerlessHostingTheFileTheLimitTookBeforeIsRefusedOnceAMinuteHasPassed()
      throws Exception {
    assertThat(upload("before.png").statusCode()).isEqualTo(201);
    assertThat(maxBytes()).isEqualTo(Hosting.SCHEDULED.maxImageBytes());

    // sam deploy --parameter-overrides Hosting=serverless
    cloudFormation.deployed.put("Hosting", "serverless");
    clock.advance(UiCommand.SETTINGS_TTL.minusSeconds(1));
    HttpResponse<String> within = upload("within.png");
    assertThat(within.statusCode()).as(within.body()).isEqualTo(201);
    assertThat(refusal("within.png")).isNull();
    assertThat(maxBytes()).isEqualTo(Hosting.SCHEDULED.maxImageBytes());
    assertThat(cloudFormation.described)
        .as("no DescribeStacks within the minute")
        .isEmpty();

    clock.advance(Duration.ofSeconds(1));
    HttpResponse<String> after = upload("after.png");

    String refused = "after.png is 5.0 MB; the endpoint accepts at most 4.2 MB: resize or"
        + " re-encode it under that size and upload it again";
    assertThat(after.statusCode()).as(after.body()).isEqualTo(413);
    assertThat(Json.MAPPER.readTree(after.body()).get("message").asText()).isEqualTo(refused);
    assertThat(refusal("after.png"))
        .as("the words the page shows without sending")
        .isEqualTo(refused);
    assertThat(maxBytes()).isEqualTo(Hosting.SERVERLESS.maxImageBytes());
    assertThat(stored)
        .containsExactly(Map.entry("before.png", FIVE_MB), Map.entry("within.png", FIVE_MB));
    assertThat(cloudFormation.described)
        .as("the limit came with the one read of the page's settings")
        .singleElement()
        .extracting(r -> r.stackName())
        .isEqualTo("prod");
  }

  /** POST /api/upload of a 5 MB file named {@code key}, as the page sends one. */
  private HttpResponse<String> upload(String key) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(api("/api/upload?key=" + key))
            .header("X-Offhours-Token", token)
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[FIVE_MB]))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** What GET /api/upload/check answers of a 5 MB file named {@code key}: its refusal, or null. */
  private String refusal(String key) throws IOException, InterruptedException {
    JsonNode refusal = get("/api/upload/check?key=" + key + "&bytes=" + FIVE_MB).get("refusal");
    return refusal.isNull() ? null : refusal.asText();
  }

  /** The limit GET /api/status tells the page. */
  private long maxBytes() throws IOException, InterruptedException {
    return get("/api/status").get("upload").get("maxBytes").asLong();
  }

  private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> answer = http.send(
        HttpRequest.newBuilder(api(pathAndQuery))
            .header("X-Offhours-Token", token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return Json.MAPPER.readTree(answer.body());
  }

  private URI api(String pathAndQuery) {
    return URI.create("http://" + server.url().getAuthority() + pathAndQuery);
  }

  /** Stack prod as {@code ui --stack prod} sees it: its bucket stores what the page uploads. */
  private AwsUiData.StackView view() {
    FakeDynamoDb dynamo = new FakeDynamoDb();
    new DynamoControlTable(dynamo, "control")
        .save(controlState().lastRun(NOW.minusSeconds(30), false).build(), 0);
    QueueAttributesSqs sqs = new QueueAttributesSqs(new ArrayList<>());
    sqs.attributes = Map.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0");
    S3Client s3 = new S3Client() {
      @Override
      public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
        stored.put(request.key(), Math.toIntExact(body.optionalContentLength().orElseThrow()));
        return PutObjectResponse.builder().build();
      }

      @Override
      public String serviceName() {
        return "s3";
      }

      @Override
      public void close() {}
    };
    return new AwsUiData.StackView(
        "stack prod",
        s3,
        s3,
        dynamo,
        sqs,
        "b",
        "q",
        "dlq",
        "results",
        "control",
        "e",
        Optional.empty(),
        false);
  }

  private Invocation call() {
    return CliRun.quietCall(Path.of("unused"), clock, Map.of());
  }
}
