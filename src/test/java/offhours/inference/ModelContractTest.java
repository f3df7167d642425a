package offhours.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

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

  /** The template's ContentType and Accept take at most 64 characters (MaxLength); the functions refuse longer too. */
  @Test
  void contentTypeAndAcceptTakeAtMost64Characters() {
    String at64 = "image/" + "x".repeat(58);
    assertThat(ModelContract.fromEnv(Map.of("CONTENT_TYPE", at64)).contentTypeFor(PNG))
        .isEqualTo(at64);
    assertThat(ModelContract.fromEnv(Map.of("ACCEPT", at64)).accept()).isEqualTo(at64);
    assertThatThrownBy(() -> ModelContract.fromEnv(Map.of("CONTENT_TYPE", at64 + "x")))
        .hasMessage("CONTENT_TYPE must be at most 64 characters, got 65: '" + at64 + "x'");
    assertThatThrownBy(
            () -> ModelContract.fromEnv(Map.of("ACCEPT", "application/" + "j".repeat(4988))))
        .hasMessage("ACCEPT must be at most 64 characters, got 5000: 'application/" + "j".repeat(48)
            + "... (5000 characters)'");
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

  /**
   * The stack reads its LABELS_S3_URI as local mode reads --labels FILE (ModelFiles, parseLabelFile): a file that is
   * not UTF-8 fails at init naming the file, where the stack read its bytes as U+FFFD labels and local mode refused
   * it; a lone CR stays in a label and is refused as a control character there too.
   */
  @Test
  void theStacksLabelsFileIsReadAsLocalModeReadsIt() {
    ModelContract file = ModelContract.fromEnv(Map.of("LABELS_S3_URI", "s3://b/models/labels.txt"));

    assertThatThrownBy(
            () -> file.resolveLabels(s3("caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1))))
        .hasMessage(
            "LABELS_S3_URI s3://b/models/labels.txt is not UTF-8 text (a byte no UTF-8 character"
                + " has); save it as UTF-8, one label per line");
    assertThatThrownBy(() -> file.resolveLabels(s3("cat\rdog\n".getBytes(StandardCharsets.UTF_8))))
        .hasMessageContaining("a control character, \\u000d");
    assertThat(file.resolveLabels(s3(" caf\u00e9 \r\n\ndog\n".getBytes(StandardCharsets.UTF_8)))
            .labels())
        .containsExactly("caf\u00e9", "dog");
  }

  /**
   * A labels file under a KMS key the function may not use fails at init naming LABELS_S3_URI, the key and what makes
   * it readable, where S3's AccessDenied named neither the setting nor a way out; a denial of s3:GetObject itself is
   * S3's own, as it was.
   */
  @Test
  void aLabelsFileUnderAKmsKeyTheFunctionMayNotUseNamesTheSettingAndTheKey() {
    ModelContract file = ModelContract.fromEnv(Map.of("LABELS_S3_URI", "s3://b/models/labels.txt"));
    S3Exception kms = s3Error(
        "User: arn:aws:sts::123456789012:assumed-role/offhours-ApiRole-X/offhours-api is not"
            + " authorized to perform: kms:Decrypt on resource:"
            + " arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab because no"
            + " resource-based policy allows the kms:Decrypt action");

    assertThatThrownBy(() -> file.resolveLabels(failing(kms)))
        .hasMessage("LABELS_S3_URI s3://b/models/labels.txt is encrypted with the KMS key"
            + " arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab, which this"
            + " function may not use (kms:Decrypt denied): the stack's roles may decrypt through S3 with"
            + " keys of its account whose key policy lets IAM policies grant their use; allow the"
            + " function's role in that key's policy, or store the file without that key")
        .hasCause(kms);
    S3Exception s3 = s3Error("User: arn:aws:sts::123456789012:assumed-role/kms-readers/f is not"
        + " authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/models/labels.txt");
    assertThatThrownBy(() -> file.resolveLabels(failing(s3))).isSameAs(s3);
  }

  private static S3Exception s3Error(String message) {
    return (S3Exception) S3Exception.builder()
        .statusCode(403)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("AccessDenied")
            .errorMessage(message)
            .build())
        .build();
  }

  private static S3Client failing(S3Exception e) {
    return new S3Client() {
      @Override
      public ResponseBytes<GetObjectResponse> getObjectAsBytes(GetObjectRequest request) {
        throw e;
      }

      @Override
      public String serviceName() {
        return "s3";
      }

      @Override
      public void close() {}
    };
  }

  /**
   * A labels file saved with a byte order mark (EF BB BF, as Windows editors may write it) gives the labels of the
   * same file without it, from S3 as from --labels FILE; only one mark is skipped.
   */
  @Test
  void oneByteOrderMarkAtTheStartOfALabelsFileIsSkipped() throws Exception {
    byte[] mark = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] text = "cat\r\ndog\n".getBytes(StandardCharsets.UTF_8);
    byte[] marked = java.nio.ByteBuffer.allocate(mark.length + text.length)
        .put(mark)
        .put(text)
        .array();
    ModelContract file = ModelContract.fromEnv(Map.of("LABELS_S3_URI", "s3://b/models/labels.txt"));

    assertThat(ModelContract.parseLabelFile(marked)).containsExactly("cat", "dog");
    assertThat(file.resolveLabels(s3(marked)).labels()).containsExactly("cat", "dog");
    assertThat(file.resolveLabels(s3(marked)).settingsFingerprint())
        .isEqualTo(file.resolveLabels(s3(text)).settingsFingerprint());
    assertThat(ModelContract.parseLabelFile("\uFEFF\uFEFFcat\n".getBytes(StandardCharsets.UTF_8)))
        .containsExactly("\uFEFFcat");
    // The mark belongs to the file's bytes: text already read keeps it.
    assertThat(ModelContract.parseLabelLines("\uFEFFcat\ndog")).containsExactly("\uFEFFcat", "dog");
  }

  /** An S3 that answers every GetObject with {@code bytes}. */
  @Test
  void theLabelSettingsAreQuotedEscapedAndCutInEveryErrorThatNamesThem() {
    String uri = "s3://b/" + "k".repeat(4993);
    String uriShown = "s3://b/" + "k".repeat(53) + "... (5000 characters)";
    ModelContract file = ModelContract.fromEnv(Map.of("LABELS_S3_URI", uri));
    assertThat(file.labelSource()).isEqualTo("LABELS_S3_URI " + uriShown);
    assertThatThrownBy(() -> file.resolveLabels(s3("\n\n".getBytes(StandardCharsets.UTF_8))))
        .hasMessage("LABELS_S3_URI " + uriShown + " holds no labels (expected one per line)");
    assertThatThrownBy(() -> file.resolveLabels(s3(new byte[] {(byte) 0xff})))
        .hasMessageStartingWith("LABELS_S3_URI " + uriShown + " is not UTF-8 text");
    ModelContract controls =
        ModelContract.fromEnv(Map.of("LABELS_S3_URI", "s3://b/l\t\u001b[2J\u0000.txt"));
    assertThat(controls.labelSource()).isEqualTo("LABELS_S3_URI s3://b/l\\x09\\x1b[2J\\x00.txt");
    assertThatThrownBy(
            () -> controls.resolveLabels(s3("cat\nd\u0007g\n".getBytes(StandardCharsets.UTF_8))))
        .hasMessageStartingWith(
            "LABELS_S3_URI s3://b/l\\x09\\x1b[2J\\x00.txt has a class name at index 1");
    assertThatThrownBy(() ->
            new ModelContract(List.of("cat", " ", "x".repeat(5000)), null, null, null, null, null))
        .hasMessage(
            "LABELS has an empty class name: [cat,  , " + "x".repeat(51) + "... (5010 characters)");
    assertThatThrownBy(
            () -> new ModelContract(List.of("", "d\u001b\n\u0000g"), null, null, null, null, null))
        .hasMessage("LABELS has an empty class name: [, d\\x1b\\x0a\\x00g]");
  }

  private static S3Client s3(byte[] bytes) {
    return new S3Client() {
      @Override
      public ResponseBytes<GetObjectResponse> getObjectAsBytes(GetObjectRequest request) {
        return ResponseBytes.fromByteArray(GetObjectResponse.builder().build(), bytes);
      }

      @Override
      public String serviceName() {
        return "s3";
      }

      @Override
      public void close() {}
    };
  }

  /**
   * A label can be a result's top label, the key of the results table's byLabel index, which DynamoDB takes up to
   * 2048 bytes (ResponseShapesTest#aClassNameOverTheLabelIndexsKeyLimitIsAContractError): a labels file with a longer
   * line fails at init, naming the file, instead of every image whose top class it is.
   */
  @Test
  void aLabelOverTheLabelIndexsKeyLimitIsRefusedAtInit() {
    String longest = "\u00e9".repeat(1024);
    assertThat(new ModelContract(List.of("cat", longest), "s3://b/l.txt", null, null, null, null)
            .labels())
        .containsExactly("cat", longest);
    assertThatThrownBy(() -> new ModelContract(
            List.of("cat", longest + "s"), "s3://b/l.txt", null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("LABELS_S3_URI s3://b/l.txt has a class name of 2049 bytes (UTF-8), beginning '"
            + "\u00e9".repeat(40)
            + "...': offhours keeps class names of at most 2048 bytes, the most DynamoDB"
            + " takes as the key of the results' label index");
  }

  /**
   * Labels are stored, indexed, printed and shown: one with a control character (C0, DEL, C1) or a lone surrogate is
   * refused at init with its index and the character escaped, as the model's own names are
   * (ResponseShapesTest#aClassNameWithAControlCharacterOrALoneSurrogateIsAContractError).
   */
  @Test
  void aLabelWithAControlCharacterOrALoneSurrogateIsRefusedAtInitWithItsIndex() {
    assertThatThrownBy(() -> ModelContract.builtIn(List.of("cat", "dog", "Neu\ttral")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "LABELS has a class name at index 2 (counting from 0, in the model's output order)"
                + " with a control character, \\u0009, at character 3: 'Neu\\u0009tral'");
    assertThatThrownBy(() -> new ModelContract(
            List.of("cat", "x\u007f", "dog"), "s3://b/l.txt", null, null, null, null))
        .hasMessageStartingWith("LABELS_S3_URI s3://b/l.txt has a class name at index 1")
        .hasMessageContaining("a control character, \\u007f, at character 1");
    assertThatThrownBy(() -> ModelContract.builtIn(List.of("\u009bcat")))
        .hasMessageContaining("a control character, \\u009b, at character 0");
    assertThatThrownBy(() -> ModelContract.builtIn(List.of("\ud83d\udc31 cat", "d\udc31og")))
        .hasMessage(
            "LABELS has a class name at index 1 (counting from 0, in the model's output order)"
                + " with a lone surrogate, \\udc31, at character 1: 'd\\udc31og'");
    assertThatThrownBy(() -> ModelContract.builtIn(List.of("\u0000".repeat(50))))
        .as("only the name's start is quoted")
        .hasMessageEndingWith("at character 0: '" + "\\u0000".repeat(40) + "...'");
    assertThat(ModelContract.builtIn(List.of("\ud83d\udc31 cat", "caf\u00e9", "\u00a0x"))
            .labels())
        .as("a surrogate pair, letters beyond ASCII and U+00A0 (after the C1 range) are names")
        .hasSize(3);
  }

  @Test
  void theSettingsFingerprintIsTheSameInEveryJvmAndForTheSameSettingsHoweverWritten() {
    String fingerprint = ModelContract.fromEnv(Map.of("LABELS", "Drawing,Hentai,Neutral,Porn,Sexy"))
        .settingsFingerprint();

    assertThat(fingerprint)
        .as("fixed here: a stack update that changes no setting must not make every result stale")
        .isEqualTo(FIVE_CLASSES);
    assertThat(ModelContract.fromEnv(Map.of(
                "LABELS",
                " Drawing , Hentai,Neutral,,Porn,Sexy ",
                "CONTENT_TYPE",
                " application/x-image",
                "ACCEPT",
                "application/json ",
                "SCORES",
                "AUTO"))
            .settingsFingerprint())
        .as("blanks around names and values, and the case of SCORES, as parsed")
        .isEqualTo(fingerprint);
    assertThat(new ModelContract(
                List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy"),
                "s3://labels/nsfw.txt",
                null,
                null,
                null,
                "component-1")
            .settingsFingerprint())
        .as("the same names read from a file, on an inference component")
        .isEqualTo(fingerprint);
  }

  /** The fingerprint of the nsfwjs model's settings (its five classes, every other setting the default). */
  private static final String FIVE_CLASSES = "f74d3ec496f3";

  @Test
  void everySettingThatChangesWhatAnAnswerMeansChangesTheFingerprint() {
    Map<String, String> base = Map.of("LABELS", "cat,dog");
    String fingerprint = ModelContract.fromEnv(base).settingsFingerprint();

    assertThat(List.<Map<String, String>>of(
            Map.of("LABELS", "dog,cat"),
            Map.of("LABELS", "cat,dog,fox"),
            Map.of("LABELS", "cat"),
            Map.of("LABELS", "cat,dog", "CONTENT_TYPE", "image/jpeg"),
            Map.of("LABELS", "cat,dog", "ACCEPT", "application/json;verbose"),
            Map.of("LABELS", "cat,dog", "SCORES", "logits"),
            Map.of()))
        .allSatisfy(env -> assertThat(ModelContract.fromEnv(env).settingsFingerprint())
            .as("%s", env)
            .isNotEqualTo(fingerprint)
            .hasSize(12)
            .matches("[0-9a-f]{12}"));
  }
}
