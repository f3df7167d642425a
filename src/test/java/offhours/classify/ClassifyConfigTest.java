package offhours.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassifyConfigTest {

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of(
        "TABLE_NAME", "offhours-results",
        "QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/offhours-queue",
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

    assertThat(config.labels()).containsExactly("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
    assertThat(config.topK()).isEqualTo(3);
    assertThat(config.maxImageBytes()).isEqualTo(6_291_456L);
    assertThat(config.batchConcurrency()).isEqualTo(8);
    assertThat(config.deferSeconds()).isEqualTo(60);
    assertThat(config.modelName()).isNull();
    assertThat(config.labelsS3Uri()).isNull();
  }

  @Test
  void labelsWinOverALabelsFile() {
    ClassifyConfig config = ClassifyConfig.fromEnv(env("LABELS_S3_URI", "s3://b/labels.txt"));

    assertThat(config.labels()).hasSize(5);
    assertThat(config.labelsS3Uri()).isNull();
  }

  @Test
  void aLabelsFileAloneIsKeptForInit() {
    ClassifyConfig config = ClassifyConfig.fromEnv(env("LABELS", "", "LABELS_S3_URI", "s3://b/models/labels.txt"));

    assertThat(config.labels()).isEmpty();
    assertThat(config.labelsS3Uri()).isEqualTo("s3://b/models/labels.txt");
  }

  @Test
  void errorsNameTheVariableAndTheValue() {
    assertThatThrownBy(() -> ClassifyConfig.fromEnv(env("TOP_K", "x")))
        .hasMessage("TOP_K must be a positive integer, got 'x'");
    assertThatThrownBy(() -> ClassifyConfig.fromEnv(env("TOP_K", "0")))
        .hasMessage("TOP_K must be a positive integer, got 0");
    assertThatThrownBy(() -> ClassifyConfig.fromEnv(env("DEFER_SECONDS", "901")))
        .hasMessage("DEFER_SECONDS must be between 0 and 900 (the SQS DelaySeconds limit), got 901");
    assertThatThrownBy(() -> ClassifyConfig.fromEnv(env("MAX_IMAGE_BYTES", "6MB")))
        .hasMessage("MAX_IMAGE_BYTES must be a positive integer, got '6MB'");
    assertThatThrownBy(() -> ClassifyConfig.fromEnv(env("TABLE_NAME", "")))
        .hasMessage("TABLE_NAME is not set");
    assertThatThrownBy(() -> ClassifyConfig.fromEnv(env("LABELS", "")))
        .hasMessage("set LABELS (comma-separated class names in the model's output order) or LABELS_S3_URI (s3://bucket/key)");
    assertThatThrownBy(() -> ClassifyConfig.fromEnv(env("LABELS", "", "LABELS_S3_URI", "labels.txt")))
        .hasMessage("LABELS_S3_URI must look like s3://bucket/key, got 'labels.txt'");
  }

  @Test
  void aLabelsFileHasOneLabelPerLine() {
    assertThat(ClassifyConfig.parseLabelLines("Drawing\r\nHentai\n\nNeutral\n")).isEqualTo(List.of("Drawing", "Hentai", "Neutral"));
  }
}
