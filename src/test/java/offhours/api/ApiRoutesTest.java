package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;

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
  void theGreedyKeyIsTheRestOfTheDeliveredPathAsItIsNotDecodedAgain() {
    assertThat(ApiRoutes.match("GET", "/results/holiday photos/café au lait + 100%.png"))
        .get()
        .isEqualTo(new ApiRoutes.Match(
            "GET /results/{key+}", Map.of("key", "holiday photos/café au lait + 100%.png")));
    assertThat(ApiRoutes.match("GET", "/results/literal%41.png"))
        .get()
        .extracting(ApiRoutes.Match::pathParameters)
        .isEqualTo(Map.of("key", "literal%41.png"));
    assertThat(ApiRoutes.match("GET", "/results"))
        .get()
        .extracting(ApiRoutes.Match::routeKey)
        .isEqualTo("GET /results");
    assertThat(ApiRoutes.match("GET", "/results/")).as("an empty key").isEmpty();
  }
}
