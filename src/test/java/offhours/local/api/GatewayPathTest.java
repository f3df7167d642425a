package offhours.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GatewayPathTest {

  @Test
  void thePathIsDecodedAsAnHttpApiWasSeenToDecodeIt() {
    assertThat(GatewayPath.deliver("/capture/space%20value")).isEqualTo("/capture/space value");
    assertThat(GatewayPath.deliver("/capture/hash%23value")).isEqualTo("/capture/hash#value");
    assertThat(GatewayPath.deliver("/results/%E5%86%99%E7%9C%9F/%F0%9F%9A%80%20rocket.jpg"))
        .isEqualTo("/results/写真/🚀 rocket.jpg");
    assertThat(GatewayPath.deliver("/results/a+b.jpg"))
        .as("a plus sign")
        .isEqualTo("/results/a+b.jpg");
  }

  @Test
  void aDecodedQuestionMarkEndsThePathAndEscapesAreDecodedTwice() {
    assertThat(GatewayPath.deliver("/capture/question%3Fvalue")).isEqualTo("/capture/question");
    assertThat(GatewayPath.deliver("/capture/literal%252Fvalue"))
        .isEqualTo("/capture/literal/value");
    assertThat(GatewayPath.deliver("/capture/literal%253Fvalue"))
        .isEqualTo("/capture/literal?value");
    assertThat(GatewayPath.deliver("/capture/literal%2525value"))
        .isEqualTo("/capture/literal%value");
    assertThat(GatewayPath.deliver("/results/a%2541.png"))
        .as("a key's literal %41 arrives as another key")
        .isEqualTo("/results/aA.png");
  }

  @Test
  void routesAreMatchedOnThePathDecodedOnceAndCutAtADecodedQuestionMark() {
    assertThat(GatewayPath.routed("/a%252Fb/thing")).isEqualTo("/a%2Fb/thing");
    assertThat(GatewayPath.routed("/%2573tatus")).isEqualTo("/%73tatus");
    assertThat(GatewayPath.routed("/results/a%3Fb.png")).isEqualTo("/results/a");
    assertThat(GatewayPath.routed("/results/percent%25done")).isEqualTo("/results/percent%done");
  }

  @Test
  void aPercentSignTheSecondDecodingCannotReadIsRefusedWithWhereToAskInstead() {
    assertThatThrownBy(() -> GatewayPath.deliver("/capture/percent%25done"))
        .hasMessage(
            "the path once decoded (an HTTP API decodes it twice) has a '%' that starts no"
                + " percent escape at position 16; name a key with '%' or '?' as GET /results?object=KEY");
    assertThatThrownBy(() -> GatewayPath.deliver("/results/100%.png"))
        .hasMessageStartingWith("the path has a '%' that starts no percent escape at position 12");
    assertThatThrownBy(() -> GatewayPath.deliver("/results/%FF.png"))
        .hasMessage(
            "the path has percent escapes that are not UTF-8: 0xFF is never a byte of UTF-8");
  }
}
