package offhours.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelContractTest {

  private static final byte[] PNG = Base64.getDecoder()
      .decode(
          "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==");
  private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10};

  @Test
  void theDefaultsAreTheBuiltInAlgorithmsContract() {
    ModelContract contract = ModelContract.fromEnv(Map.of("LABELS", "a,b"));

    assertThat(contract)
        .isEqualTo(new ModelContract(
            List.of("a", "b"), null, "application/x-image", "application/json", Scores.AUTO, null));
    assertThat(contract.contentTypeFor(PNG)).isEqualTo("application/x-image");
  }

  @Test
  void contentTypeAutoSendsEachImagesOwnType() {
    ModelContract auto = ModelContract.fromEnv(Map.of("CONTENT_TYPE", "auto"));

    assertThat(auto.contentTypeFor(PNG)).isEqualTo("image/png");
    assertThat(auto.contentTypeFor(JPEG)).isEqualTo("image/jpeg");
    assertThatThrownBy(() -> auto.contentTypeFor("GIF89a".getBytes()))
        .hasMessage("CONTENT_TYPE auto needs a JPEG or PNG, got GIF");
  }

  @Test
  void aFixedContentTypeIsSentAsItIs() {
    assertThat(ModelContract.fromEnv(Map.of("CONTENT_TYPE", "image/jpeg")).contentTypeFor(PNG))
        .isEqualTo("image/jpeg");
  }

  @Test
  void headersMustBeMediaTypesThatAHeaderCanCarry() {
    assertThatThrownBy(() -> ModelContract.fromEnv(Map.of("CONTENT_TYPE", "jpeg")))
        .hasMessage(
            "CONTENT_TYPE must be application/x-image, auto (image/jpeg or image/png from the image) or a"
                + " media type like image/jpeg, got 'jpeg'");
    assertThatThrownBy(
            () -> ModelContract.fromEnv(Map.of("ACCEPT", "application/json\r\nX-Injected: 1")))
        .hasMessageStartingWith(
            "ACCEPT must be a media type like application/json or application/json;verbose, got");
    assertThat(
            ModelContract.fromEnv(Map.of("ACCEPT", "application/json;verbose")).accept())
        .isEqualTo("application/json;verbose");
  }

  @Test
  void labelsWinOverALabelsFileAndNeitherIsFine() {
    assertThat(ModelContract.fromEnv(Map.of("LABELS", "a", "LABELS_S3_URI", "s3://b/l.txt"))
            .labelsS3Uri())
        .isNull();
    ModelContract file =
        ModelContract.fromEnv(Map.of("LABELS", "", "LABELS_S3_URI", "s3://b/models/labels.txt"));
    assertThat(file.labels()).isEmpty();
    assertThat(file.labelSource()).isEqualTo("LABELS_S3_URI s3://b/models/labels.txt");
    assertThat(ModelContract.fromEnv(Map.of()).labelSource()).isEqualTo("no labels configured");
    assertThatThrownBy(() -> ModelContract.fromEnv(Map.of("LABELS_S3_URI", "labels.txt")))
        .hasMessage("LABELS_S3_URI must look like s3://bucket/key, got 'labels.txt'");
  }

  @Test
  void aLabelsFileHasOneLabelPerLine() {
    assertThat(ModelContract.parseLabelLines("Drawing\r\nHentai\n\nNeutral\n"))
        .isEqualTo(List.of("Drawing", "Hentai", "Neutral"));
    assertThat(ModelContract.parseLabels(" Drawing, Hentai ,,"))
        .isEqualTo(List.of("Drawing", "Hentai"));
  }
}
