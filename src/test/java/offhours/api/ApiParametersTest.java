package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every route answers a query parameter it does not read, and a name given twice, with a 400 that names it, before it
 * reads or stores anything (the clients here fail any call): ignored, a parameter would be answered as if it were not
 * there, as a misspelt filter of GET /results would list every result. Before, GET /status, GET /results/{key+} and
 * POST /classify ignored theirs.
 */
class ApiParametersTest {

  private final Api api = ApiFixtures.withoutAws();

  private ApiResponse ask(String routeKey, Map<String, String> query) {
    String[] parts = routeKey.split(" ", 2);
    boolean byPath = parts[1].endsWith("{key+}");
    return api.handle(new ApiRequest(
        parts[0],
        byPath ? "/results/a.png" : parts[1],
        routeKey,
        byPath ? Map.of("key", "a.png") : Map.of(),
        query,
        Map.of(),
        new byte[0],
        "req-1"));
  }

  private static String message(ApiResponse answer) {
    return JsonText.string(
        JsonText.parse(answer.body().getBytes(StandardCharsets.UTF_8)), "message");
  }

  @Test
  void everyRouteRefusesAParameterItDoesNotRead() {
    List<String> messages = new ArrayList<>();
    for (String routeKey : ApiRoutes.all()) {
      ApiResponse answer = ask(routeKey, Map.of("labl", "cat"));
      assertThat(answer.status()).as(routeKey).isEqualTo(400);
      messages.add(message(answer));
    }
    assertThat(messages)
        .containsExactlyInAnyOrder(
            "POST /classify takes no query parameters; it does not know 'labl'",
            "GET /status takes no query parameters; it does not know 'labl'",
            "GET /results/{key+} takes no query parameters; it does not know 'labl'; object= and"
                + " the listing's filters go to GET /results",
            "GET /results takes object=KEY alone, or label, status, key, limit, next; it does not"
                + " know 'labl' (names are case-sensitive)");
  }

  @Test
  void theNamesAreQuotedAsOffhoursQuotesAnyValueAndSorted() {
    assertThat(message(ask("GET /status", Map.of("z", "1", "a\n\u001b[2J", "2"))))
        .isEqualTo("GET /status takes no query parameters; it does not know 'a\\x0a\\x1b[2J', 'z'");
  }

  @Test
  void everyRouteRefusesANameGivenTwice() throws IOException {
    for (String target : List.of("/status", "/results", "/results/a.png", "/classify")) {
      byte[] event = HttpEvents.request(
          target.equals("/classify") ? "POST" : "GET",
          target,
          "x=1&x=2",
          Map.of("Host", List.of("127.0.0.1:8080")),
          new byte[0],
          "req-1",
          Instant.parse("2026-11-25T10:15:01Z"),
          "127.0.0.1");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      new ApiHandler(api).handleRequest(new java.io.ByteArrayInputStream(event), out, null);
      HttpEvents.Reply reply = HttpEvents.response(out.toByteArray());

      assertThat(reply.status()).as(target).isEqualTo(400);
      assertThat(new String(reply.body(), StandardCharsets.UTF_8))
          .as(target)
          .contains("the query names 'x' more than once");
    }
  }
}
