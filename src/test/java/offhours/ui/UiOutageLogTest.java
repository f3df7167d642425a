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
import offhours.testing.LogRecords;
import offhours.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * The page server's log while the stack does not answer: the outage's first cut read with the SDK's words, nothing
 * for the reads cut after it, and one line once a read answers again, saying after how long and how many were cut.
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
  private UiServer server;

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
        return super.status();
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
    URI url = server.url();
    String token = url.getQuery().substring("token=".length());
    HttpResponse<String> answer = HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(url.resolve(path))
                .header(UiServer.TOKEN_HEADER, token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return answer.statusCode();
  }
}
