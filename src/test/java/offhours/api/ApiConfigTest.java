package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiConfigTest {

  @Test
  void theImageLimitIsTheEndpointsOwn() {
    assertThat(ApiFixtures.config().maxImageBytes())
        .as("template defaults: InvokeEndpoint takes 6 MB")
        .isEqualTo(6_291_456);
    assertThat(ApiFixtures.config(Map.of("MAX_IMAGE_BYTES", "4194304")).maxImageBytes())
        .as("a serverless endpoint takes 4 MB")
        .isEqualTo(4_194_304);
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
            "CONTROLLER_INTERVAL_SECONDS must be a whole number from 1 to 86400 in digits 0-9, got 'soon'");
  }

  /** The API reads TIME_ZONE by the controller's rule as it starts: a fixed offset is refused (IanaZones). */
  @Test
  void aFixedOffsetTimeZoneIsRefusedAsTheApiStarts() {
    assertThatThrownBy(() -> ApiFixtures.config(Map.of("TIME_ZONE", "UTC+3")))
        .hasMessageStartingWith(
            "TIME_ZONE needs an IANA zone such as Europe/Berlin, got 'UTC+3', a fixed offset");
    assertThatThrownBy(() -> ApiFixtures.config(Map.of("HOSTING", "serverless", "TIME_ZONE", "-5")))
        .hasMessageStartingWith(
            "TIME_ZONE needs an IANA zone such as Europe/Berlin, got '-5', a fixed offset");
    assertThat(ApiFixtures.config(Map.of("TIME_ZONE", "US/Eastern"))
            .controller()
            .zone()
            .getId())
        .isEqualTo("US/Eastern");
  }
}
