package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiConfigTest {

  @Test
  void theImageLimitIsWhatFitsALambdaInvocationAfterBase64() {
    // (6,291,456 - 16,384) / 4 * 3: a bigger body, base64-encoded with the event around it, exceeds
    // Lambda's 6 MB.
    assertThat(ApiConfig.LAMBDA_BODY_LIMIT_BYTES).isEqualTo(4_706_304);
    long encoded = (ApiConfig.LAMBDA_BODY_LIMIT_BYTES + 2) / 3 * 4;
    assertThat(encoded + ApiConfig.EVENT_RESERVE_BYTES)
        .isLessThanOrEqualTo(ApiConfig.LAMBDA_PAYLOAD_BYTES);
    assertThat(ApiFixtures.config().maxImageBytes())
        .as("template defaults: the endpoint allows 6 MB")
        .isEqualTo(4_706_304);
    assertThat(ApiFixtures.config(Map.of("MAX_IMAGE_BYTES", "1000000")).maxImageBytes())
        .as("a smaller endpoint limit wins")
        .isEqualTo(1_000_000);
  }

  @Test
  void readsTheControllersPolicyAndItsTimings() {
    ApiConfig config = ApiFixtures.config(Map.of("CONTROLLER_INTERVAL_SECONDS", "2"));

    assertThat(config.controller().schedule().toString())
        .isEqualTo("Mon-Fri 08:00-19:00 Europe/Berlin");
    assertThat(config.controllerInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.controller().model().labels())
        .containsExactly("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
  }

  @Test
  void missingSettingsAreNamed() {
    assertThatThrownBy(() -> ApiFixtures.config(Map.of("BUCKET_NAME", "")))
        .hasMessage("BUCKET_NAME is not set; the stack passes the images bucket to the API");
    assertThatThrownBy(() -> ApiFixtures.config(Map.of("CONTROLLER_INTERVAL_SECONDS", "soon")))
        .hasMessage(
            "CONTROLLER_INTERVAL_SECONDS must be a whole number from 1 to 86400, got 'soon'");
  }
}
