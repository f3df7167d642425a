package offhours.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import offhours.inference.Scores;
import org.junit.jupiter.api.Test;

class ClassifyConfigTest {

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of(
        "TABLE_NAME", "offhours-results",
        "QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/offhours-queue",
        "BUCKET_NAME", "offhours-images",
        "ENDPOINT_NAME", "offhours-endpoint",
        "LABELS", "Drawing, Hentai,Neutral ,Porn,Sexy"));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void defaultsFollowTheContract() {
    ClassifyConfig config = ClassifyConfig.fromEnv(env());

    assertThat(config.model().labels())
        .containsExactly("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
    assertThat(config.model().contentType()).isEqualTo("application/x-image");
    assertThat(config.model().accept()).isEqualTo("application/json");
    assertThat(config.model().scores()).isEqualTo(Scores.AUTO);
    assertThat(config.bucketName()).isEqualTo("offhours-images");
    assertThat(config.topK()).isEqualTo(3);
    assertThat(config.maxImageBytes()).isEqualTo(6_291_456L);
    assertThat(config.batchConcurrency()).isEqualTo(8);
    assertThat(config.deferSeconds()).isEqualTo(60);
    assertThat(config.maxDeferrals()).isEqualTo(50);
    assertThat(config.invokeTimeout()).isEqualTo(Duration.ofSeconds(65));
    assertThat(config.modelName()).isNull();
  }

  @Test
  void readsTheModelsSettings() {
    ClassifyConfig config = ClassifyConfig.fromEnv(env(
        "CONTENT_TYPE",
        "auto",
        "ACCEPT",
        "application/json;verbose",
        "SCORES",
        "logits",
        "LABELS",
        ""));

    assertThat(config.model().contentType()).isEqualTo("auto");
    assertThat(config.model().accept()).isEqualTo("application/json;verbose");
    assertThat(config.model().scores()).isEqualTo(Scores.LOGITS);
    assertThat(config.model().labels())
        .as("a model that names its classes needs none")
        .isEmpty();
  }

  /**
   * A whole-number setting is ASCII digits alone, as the template writes it: Long.parseLong also took a '+', blanks
   * around the number and the digits of other scripts (by Character.digit), none of which the template's patterns let
   * through, so such a value was set by hand and is more likely a slip than a number.
   */
  @Test
  void aWholeNumberSettingIsDigits0To9Alone() {
    for (String bad : List.of("+5", " 5", "5\n", "\uFF15", "\u0665", "5_000")) {
      assertThatThrownBy(() -> ClassifyConfig.fromEnv(env("TOP_K", bad)))
          .as(bad)
          .hasMessage("TOP_K must be a whole number of at least 1 in digits 0-9, got '"
              + bad.replace("\n", "\\x0a") + "'");
    }
    assertThat(ClassifyConfig.fromEnv(env("TOP_K", "5")).topK()).isEqualTo(5);
  }

  @Test
  void errorsNameTheVariableAndTheValue() {
    assertThatThrownBy(() -> ClassifyConfig.fromEnv(env("TOP_K", "x")))
        .hasMessage("TOP_K must be a whole number of at least 1 in digits 0-9, got 'x'");
    assertThatThrownBy(() -> ClassifyConfig.fromEnv(env("TOP_K", "0")))
        .hasMessage("TOP_K must be a whole number of at least 1, got 0");
    assertThatThrownBy(() -> ClassifyConfig.fromEnv(env("DEFER_SECONDS", "901")))
        .hasMessage("DEFER_SECONDS must be a whole number from 0 to 900, got 901");
    assertThatThrownBy(() -> ClassifyConfig.fromEnv(env("MAX_IMAGE_BYTES", "6MB")))
        .hasMessage(
            "MAX_IMAGE_BYTES must be a whole number of at least 1 in digits 0-9, got '6MB'");
    assertThatThrownBy(() -> ClassifyConfig.fromEnv(env("MAX_DEFERRALS", "0")))
        .hasMessage("MAX_DEFERRALS must be a whole number of at least 1, got 0");
    assertThatThrownBy(() -> ClassifyConfig.fromEnv(env("INVOKE_TIMEOUT_SECONDS", "0")))
        .hasMessage("INVOKE_TIMEOUT_SECONDS must be a whole number from 1 to 600, got 0");
    assertThatThrownBy(() -> ClassifyConfig.fromEnv(env("TABLE_NAME", "")))
        .hasMessage("TABLE_NAME is not set");
    assertThatThrownBy(() -> ClassifyConfig.fromEnv(env("BUCKET_NAME", " ")))
        .hasMessage("BUCKET_NAME is not set");
    assertThatThrownBy(() -> ClassifyConfig.fromEnv(env("SCORES", "softmax")))
        .hasMessage("SCORES must be probabilities, logits or auto, got 'softmax'");
  }
}
