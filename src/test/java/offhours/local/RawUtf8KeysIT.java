// Needs moto_server on the PATH (or in ~/.pyenv/shims), and node/npm for the first conversion of
// the default model into the user's offhours cache, which the stacks' own cache links to (see
// StackFixture.cache).
package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.api.StatusView;
import offhours.endpoint.LedgerPrices;
import offhours.results.LiveSettings;
import offhours.stack.Hosting;
import offhours.testing.RawUtf8Request;
import offhours.ui.AwsUiData;
import offhours.ui.FixedPageSettings;
import offhours.ui.UiServer;
import org.junit.jupiter.api.Test;

/**
 * Keys sent as raw UTF-8 bytes, as curl sends them, to local mode's two HTTP servers over a socket, against the local
 * stack (moto_server, the local SageMaker with the default model): the API's local front finds the object's result
 * by the key sent raw, percent-encoded or both ways, and the page of {@code offhours ui} shows its thumbnail and stores
 * an upload under the key its client sent, not under the key its bytes spell read one per char ("Ã©tÃ©").
 */
class RawUtf8KeysIT {

  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final Path CHELSEA = Path.of("src/test/resources/images/chelsea.png");
  /** Its non-ASCII characters have no byte from 0x80 to 0xA0 in UTF-8, which the JDK's server refuses raw. */
  private static final String KEY = "été/大京 crème brûlée.png";

  @Test
  void aKeySentAsRawUtf8NamesTheObjectItsClientMeantOnTheApiAndOnThePage() throws Exception {
    try (StackFixture f =
        StackFixture.start(StackFixture.options(Duration.ofSeconds(1), Map.of()))) {
      f.upload(KEY, CHELSEA);
      f.await("a result for " + KEY, DEADLINE, () -> f.results().size() == 1);
      int api = f.stack.apiEndpoint().getPort();
      Map<String, String> bearer = Map.of("Authorization", "Bearer " + f.stack.apiToken());

      for (String sent : List.of(
          "été/大京%20crème%20brûlée.png",
          URLEncoder.encode(KEY, StandardCharsets.UTF_8),
          "%C3%A9té/大%E4%BA%AC+crème%20br%C3%BBlée.png")) {
        JsonNode byObject = json(RawUtf8Request.get(api, "/results?object=" + sent, bearer), 200);
        assertThat(byObject.get("key").asText()).as(sent).isEqualTo(KEY);
        assertThat(byObject.get("state").asText()).as(sent).isEqualTo("DONE");
      }
      JsonNode byPath =
          json(RawUtf8Request.get(api, "/results/été/大京%20crème%20brûlée.png", bearer), 200);
      assertThat(byPath.get("key").asText()).isEqualTo(KEY);
      assertThat(byPath.get("state").asText()).isEqualTo("DONE");
      JsonNode listed = json(RawUtf8Request.get(api, "/results?key=crème", bearer), 200);
      assertThat(listed.at("/results/0/key").asText())
          .as("the listing's key filter")
          .isEqualTo(KEY);
      RawUtf8Request latin1 = RawUtf8Request.get(
          api, "/results?object=\u00E9t\u00E9.png".getBytes(StandardCharsets.ISO_8859_1), bearer);
      assertThat(json(latin1, 400).get("message").asText())
          .as("Latin-1, not UTF-8: refused, never a replacement character")
          .isEqualTo("the query has raw bytes that are not UTF-8: 0xE9 is cut short: 0xE9 starts a"
              + " character of 3 bytes; send text as UTF-8, its bytes as they are or"
              + " percent-encoded");

      try (AwsUiData data = new AwsUiData(
              view(f),
              Clock.systemUTC(),
              action -> Map.of(),
              FixedPageSettings.of(
                  new AwsUiData.Pricing(
                      ZoneOffset.UTC,
                      LedgerPrices.listed(Hosting.SCHEDULED, "ml.m5.large", 1, 0.115)),
                  () -> new LiveSettings(null, false, "not compared here"),
                  seen -> new StatusView.Upcoming(null, "not read here", null, "not read here")));
          UiServer page = UiServer.start(data, 0, FixedPageSettings::uploadRules)) {
        int port = page.url().getPort();
        Map<String, String> token =
            Map.of("X-Offhours-Token", page.url().getQuery().substring("token=".length()));
        RawUtf8Request thumb =
            RawUtf8Request.get(port, "/api/thumb?key=été/大京%20crème%20brûlée.png", token);
        assertThat(thumb.status()).as(thumb.head()).isEqualTo(200);
        assertThat(thumb.head()).containsIgnoringCase("Content-Type: image/jpeg");

        String uploaded = "été/crème brûlée 2.png";
        RawUtf8Request upload = RawUtf8Request.send(
            port,
            "POST",
            "/api/upload?key=été/crème%20brûlée%202.png",
            token,
            Files.readAllBytes(CHELSEA));
        assertThat(json(upload, 201).get("key").asText()).isEqualTo(uploaded);
        assertThat(f.stack
                .s3()
                .listObjectsV2(r -> r.bucket(f.stack.resources().bucket()).prefix("été/"))
                .contents())
            .extracting(o -> o.key())
            .as("stored under the key the page was sent")
            .containsExactlyInAnyOrder(KEY, uploaded);
      }
    }
  }

  /** The answer's JSON body, which must come with {@code status}. */
  private static JsonNode json(RawUtf8Request answer, int status) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    return StackFixture.json(answer.body());
  }

  /** What the page reads of the local stack, as 'offhours ui' gives it. */
  private static AwsUiData.StackView view(StackFixture f) {
    return new AwsUiData.StackView(
        "the local stack",
        f.stack.s3(),
        f.stack.s3(),
        f.stack.dynamoDb(),
        f.stack.sqs(),
        f.stack.resources().bucket(),
        f.stack.resources().queueUrl(),
        f.stack.resources().deadLetterQueueUrl(),
        f.stack.resources().resultsTable(),
        f.stack.resources().controlTable(),
        f.stack.names().endpoint(),
        Optional.empty(),
        true);
  }
}
