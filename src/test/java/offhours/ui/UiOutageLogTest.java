package offhours.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import offhours.aws.CredentialSources;
import offhours.testing.LogRecords;
import offhours.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The page server's log while the stack does not answer: the outage's first cut read with the SDK's words, nothing
 * for the reads cut after it, and one line once a read answers again, even with an error of the stack's own, saying
 * after how long and how many were cut. A thumbnail whose source stalled is a cut read too.
 */
class UiOutageLogTest {

  private static final String CUT_WORDS =
      "the stack did not answer within 5 s, where the page cuts its reads (DynamoDB's Query)";
  private static final String SDK_WORDS =
      "Client execution did not complete before the specified timeout configuration: 5000 millis";

  private LogRecords serverLog;
  private List<LogRecord> logged;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T14:00:00Z"));
  private volatile boolean hung;
  /** How GET /api/status fails when the stack is not hung, or null: it answers. */
  private volatile RuntimeException statusFails;
  /** What the stack makes of a thumbnail's read. */
  private volatile Thumb thumb = Thumb.SHOWN;

  private UiServer server;

  private enum Thumb {
    /** Its HeadObject cut at the page's deadline. */
    CUT,
    /** Its source stopped coming part-way, cut once silent for the page's stall (AwsUiData). */
    STALLED,
    /** No such object: S3's own answer. */
    MISSING,
    SHOWN
  }

  @BeforeEach
  void start() throws Exception {
    serverLog = new LogRecords(UiServer.class);
    logged = serverLog.records();
    UiData data = new MemoryUiData(() -> MemoryUiData.page(Map.of())) {
      @Override
      public Map<String, Object> status() {
        if (hung) {
          // As the page's clients throw a read cut at its deadline (PageDeadline).
          throw ApiCallTimeoutException.create(CUT_WORDS, ApiCallTimeoutException.create(5000));
        }
        if (statusFails != null) {
          throw statusFails;
        }
        return super.status();
      }

      @Override
      public Thumbnail thumbnail(String key) throws UiException {
        return switch (thumb) {
          case CUT ->
            throw ApiCallTimeoutException.create(
                "the stack did not answer within 5 s, where the page cuts its reads (S3's HeadObject)",
                ApiCallTimeoutException.create(5000));
          case STALLED -> {
            String words = "S3 stopped sending " + key + " part-way; the page cut the read";
            throw new UiException(
                502, words + ": Read timed out", new PageDeadline.CutRead(words, "Read timed out"));
          }
          case MISSING -> throw new UiException(404, "no object " + key);
          case SHOWN -> new Thumbnail(new byte[] {1, 2, 3});
        };
      }
    };
    server = UiServer.start(data, 0, FixedPageSettings::uploadRules, clock);
  }

  @AfterEach
  void stop() {
    server.close();
    serverLog.close();
  }

  @Test
  void anOutageIsLoggedAtItsFirstCutReadAndOnceMoreWhenAReadAnswersAgain() throws Exception {
    assertThat(status()).isEqualTo(200);
    assertThat(logged).as("nothing of a stack that answers").isEmpty();

    hung = true;
    for (int poll = 0; poll < 4; poll++) {
      assertThat(status()).isEqualTo(502);
      clock.advance(Duration.ofSeconds(5));
    }
    assertThat(logged)
        .as("the first cut read, with the SDK's words; the three after it, nothing")
        .singleElement()
        .satisfies(record -> {
          assertThat(record.getLevel()).isEqualTo(Level.WARNING);
          assertThat(record.getMessage())
              .isEqualTo("GET /api/status: " + CUT_WORDS + ": " + SDK_WORDS);
        });

    hung = false;
    clock.advance(Duration.ofSeconds(52));
    assertThat(status()).isEqualTo(200);
    assertThat(status()).isEqualTo(200);
    awaitLogged(2);
    assertThat(logged).hasSize(2);
    assertThat(logged.get(1).getLevel()).isEqualTo(Level.INFO);
    assertThat(logged.get(1).getMessage())
        .isEqualTo("GET /api/status: the stack answers again, 1 min 12 s after the first read the"
            + " page cut; 4 reads cut in all");

    hung = true;
    assertThat(status()).isEqualTo(502);
    assertThat(logged)
        .as("another outage, said again")
        .hasSize(3)
        .last()
        .satisfies(record -> assertThat(record.getMessage()).endsWith(SDK_WORDS));
  }

  /**
   * A stack hung for one read and answering another (its queue's SQS hung, its tables' DynamoDB not), as the page polls
   * both every 2.5 s: the hung read's outage is logged once, not ended by each answer of the other and logged anew.
   */
  @Test
  void anOutageOfOneReadIsNotEndedByAnotherReadThatAnswers() throws Exception {
    hung = true;
    for (int poll = 0; poll < 4; poll++) {
      assertThat(status()).isEqualTo(502);
      assertThat(get("/api/results")).isEqualTo(200);
      clock.advance(Duration.ofMillis(2500));
    }
    assertThat(logged)
        .as("the first cut read of status; the results that answered meanwhile end nothing")
        .singleElement()
        .satisfies(record -> assertThat(record.getMessage()).startsWith("GET /api/status: "));

    hung = false;
    assertThat(status()).isEqualTo(200);
    awaitLogged(2);
    assertThat(logged)
        .last()
        .satisfies(record -> assertThat(record.getMessage())
            .isEqualTo(
                "GET /api/status: the stack answers again, 10 s after the first read the page"
                    + " cut; 4 reads cut in all"));
  }

  /**
   * A read the stack answers with an error of its own is answered: a thumbnail of an object that is gone (404) ends the
   * outage of thumbnails as one shown would. A request refused before the stack is asked (400) ends nothing.
   */
  @Test
  void anOutageEndsAtTheFirstReadTheStackAnswersEvenWithAnErrorOfItsOwn() throws Exception {
    thumb = Thumb.CUT;
    for (int poll = 0; poll < 3; poll++) {
      assertThat(get("/api/thumb?key=cat.png")).isEqualTo(502);
      clock.advance(Duration.ofSeconds(5));
    }
    assertThat(get("/api/thumb?key=")).as("refused: no key").isEqualTo(400);
    assertThat(logged)
        .as("the first cut read; the refusal, nothing")
        .singleElement()
        .satisfies(record -> assertThat(record.getMessage())
            .startsWith("GET /api/thumb: the stack did not answer within 5 s"));

    thumb = Thumb.MISSING;
    assertThat(get("/api/thumb?key=cat.png")).isEqualTo(404);
    assertThat(logged).hasSize(2);
    assertThat(logged.get(1).getLevel()).isEqualTo(Level.INFO);
    assertThat(logged.get(1).getMessage())
        .isEqualTo(
            "GET /api/thumb: the stack answers again, 15 s after the first read the page cut;"
                + " 3 reads cut in all");
  }

  /**
   * A read the stack answers with an error of the service's (DynamoDB throttling it) is answered too; one the SDK could
   * not send at all (no connection) is no answer, and the outage goes on.
   */
  @Test
  void aServiceErrorEndsAnOutageAndAFailedConnectionDoesNot() throws Exception {
    hung = true;
    assertThat(status()).isEqualTo(502);
    assertThat(status()).isEqualTo(502);
    hung = false;
    statusFails = SdkClientException.create("Unable to execute HTTP request: Connection refused");
    assertThat(status()).isEqualTo(502);
    assertThat(logged).as("no answer yet").hasSize(1);

    clock.advance(Duration.ofSeconds(30));
    statusFails = DynamoDbException.builder()
        .message("Rate of requests exceeds the allowed throughput")
        .statusCode(400)
        .build();
    assertThat(status()).isEqualTo(502);
    assertThat(logged).hasSize(2);
    assertThat(logged.get(1).getMessage())
        .isEqualTo("GET /api/status: the stack answers again, 30 s after the first read the page"
            + " cut; 2 reads cut in all");
  }

  /**
   * A thumbnail whose source S3 stopped sending part-way is a cut read, logged as the outage's first with its key
   * escaped (a key may hold control characters, and the log goes to a terminal), and counted until one is shown.
   */
  @Test
  void aThumbnailWhoseSourceStalledIsACutReadOfItsOutage() throws Exception {
    thumb = Thumb.STALLED;
    assertThat(get("/api/thumb?key=cat%1B%5B2J.png")).isEqualTo(502);
    assertThat(get("/api/thumb?key=dog.png")).isEqualTo(502);
    assertThat(logged).singleElement().satisfies(record -> {
      assertThat(record.getLevel()).isEqualTo(Level.WARNING);
      assertThat(record.getMessage())
          .isEqualTo("GET /api/thumb: S3 stopped sending cat\\x1b[2J.png part-way; the page cut"
              + " the read: Read timed out");
    });

    clock.advance(Duration.ofSeconds(8));
    thumb = Thumb.SHOWN;
    assertThat(get("/api/thumb?key=cat.png")).isEqualTo(200);
    awaitLogged(2);
    assertThat(logged)
        .last()
        .satisfies(record -> assertThat(record.getMessage())
            .isEqualTo("GET /api/thumb: the stack answers again, 8 s after the first read the page"
                + " cut; 2 reads cut in all"));
  }

  /**
   * The page says what its log does: a read the stack answered with an error of its own, thrown as it is (DynamoDB
   * throttling it) or reached through another exception (S3 denying it), says the stack answered, with which error and
   * the service's words, escaped and cut as the page quotes a value; a read the SDK could not send says the stack did
   * not answer, with the SDK's words.
   */
  @Test
  void thePageSaysTheStackAnsweredWithAnErrorWhenItDidAndDidNotAnswerWhenItDidNot()
      throws Exception {
    statusFails = DynamoDbException.builder()
        .statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder()
            .serviceName("DynamoDb")
            .errorCode("ThrottlingException")
            .errorMessage("Rate of requests exceeds the allowed throughput")
            .build())
        .build();
    HttpResponse<String> throttled = answer("/api/status");
    assertThat(throttled.statusCode()).isEqualTo(502);
    assertThat(throttled.body())
        .isEqualTo("{\"message\":\"the stack answered with an error (DynamoDB, ThrottlingException,"
            + " HTTP 400): 'Rate of requests exceeds the allowed throughput'\"}");

    statusFails = new IllegalStateException(
        "the status could not be read",
        S3Exception.builder()
            .statusCode(403)
            .awsErrorDetails(AwsErrorDetails.builder()
                .serviceName("S3")
                .errorCode("AccessDenied")
                .errorMessage("Access Denied\u001b[2J by a policy " + "p".repeat(100))
                .build())
            .build());
    assertThat(answer("/api/status").body())
        .isEqualTo("{\"message\":\"the stack answered with an error (S3, AccessDenied, HTTP 403):"
            + " 'Access Denied\\\\x1b[2J by a policy " + "p".repeat(30)
            + "... (130 characters)'\"}");

    statusFails = SdkClientException.create("Unable to execute HTTP request: Connection refused");
    assertThat(answer("/api/status").body())
        .isEqualTo("{\"message\":\"the stack did not answer: Unable to execute HTTP request:"
            + " Connection refused\",\"answered\":false}");
  }

  /**
   * A read this machine's setup stopped before the stack was asked (here no credentials, as the user's chain throws
   * it) says what is missing and what to do, marked {@code "answered": false}, as nobody answered, and
   * {@code "asked": false}, which the page shows as "Setup error" rather than "Unreachable". Before, it said "the stack
   * did not answer" with the SDK's words, as an outage.
   */
  @Test
  void aReadThisMachinesSetupStoppedSaysWhatToDoAndThatTheStackWasNotAsked() throws Exception {
    SdkClientException chain = SdkClientException.create(
        "Unable to load credentials from any of the providers in the chain");
    statusFails = SdkClientException.create(
        chain.getMessage(), new CredentialSources.NoCredentials("work", chain));
    HttpResponse<String> noCredentials = answer("/api/status");
    assertThat(noCredentials.statusCode()).isEqualTo(502);
    assertThat(noCredentials.body())
        .startsWith(
            "{\"message\":\"this machine has no AWS credentials for the page's reads (profile"
                + " work), so the stack was not asked: run 'aws configure', or 'aws sso login --profile"
                + " work'")
        .endsWith("\",\"answered\":false,\"asked\":false}");
  }

  private int status() throws Exception {
    return get("/api/status");
  }

  /**
   * Waits until {@code records} have been logged, for at most 10 s: the server logs that a read answers once it has
   * sent the answer, which the test may read first.
   */
  private void awaitLogged(int records) throws InterruptedException {
    for (int i = 0; i < 200 && logged.size() < records; i++) {
      Thread.sleep(50);
    }
  }

  private int get(String path) throws Exception {
    return answer(path).statusCode();
  }

  private HttpResponse<String> answer(String path) throws Exception {
    URI url = server.url();
    String token = url.getQuery().substring("token=".length());
    HttpResponse<String> answer = HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(url.resolve(path))
                .header(UiServer.TOKEN_HEADER, token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return answer;
  }
}
