package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiRoutesTest {

  @Test
  void literalRoutesMatchTheirMethodAndPathOnly() {
    assertThat(ApiRoutes.match("GET", "/status"))
        .get()
        .isEqualTo(new ApiRoutes.Match("GET /status", Map.of()));
    assertThat(ApiRoutes.match("POST", "/classify"))
        .get()
        .extracting(ApiRoutes.Match::routeKey)
        .isEqualTo("POST /classify");
    assertThat(ApiRoutes.match("POST", "/status")).as("another method").isEmpty();
    assertThat(ApiRoutes.match("GET", "/status/")).as("a trailing slash").isEmpty();
  }

  @Test
  void theGreedyKeyTakesTheRestOfThePathDecodedWithPlusAsAPlusSign() {
    assertThat(ApiRoutes.match(
            "GET", "/results/holiday%20photos/caf%C3%A9%20au%20lait%20+%20100%25.png"))
        .get()
        .isEqualTo(new ApiRoutes.Match(
            "GET /results/{key+}", Map.of("key", "holiday photos/café au lait + 100%.png")));
    assertThat(ApiRoutes.match("GET", "/results"))
        .get()
        .extracting(ApiRoutes.Match::routeKey)
        .isEqualTo("GET /results");
    assertThat(ApiRoutes.match("GET", "/results/")).as("an empty key").isEmpty();
  }

  @Test
  void aMalformedOrNonUtf8EscapeIsRefusedWithWhatToDo() {
    assertThatThrownBy(() -> ApiRoutes.match("GET", "/results/100%.png"))
        .hasMessage("the path has a malformed percent escape at position 3; encode '%' as %25");
    assertThatThrownBy(() -> ApiRoutes.match("GET", "/results/%FF.png"))
        .hasMessage("the path's percent escapes are not UTF-8");
  }
}
