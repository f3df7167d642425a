package offhours.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import offhours.inference.ProbeImage;
import offhours.units.Sizes;
import org.junit.jupiter.api.Test;

/** The kind of each REJECTED reason and what to do about it, as {@code results} and the page say it, and README too. */
class RejectionHintTest {

  private static final String ID = "s3://photos/cats/truncated.jpg";

  private static Optional<RejectionHint> of(String reason) {
    return RejectionHint.of("cats/truncated.jpg", ID, reason);
  }

  @Test
  void eachReasonClassifyOrTheModelServerWritesHasItsKind() {
    assertThat(of(
            "unsupported format: object " + ID + " looks like text; offhours accepts JPEG and PNG"))
        .as("the key says truncated, the reason does not")
        .contains(RejectionHint.NOT_JPEG_OR_PNG);
    assertThat(of("object " + ID + " is empty (0 bytes)")).contains(RejectionHint.CUT_SHORT);
    assertThat(of(
            "the model could not read the image (status 400): could not decode image: JPEG data ends early"
                + " (Truncated File - Missing EOI marker); " + ProbeImage.Check.READ))
        .contains(RejectionHint.CUT_SHORT);
    assertThat(of(
            "the model could not read the image (status 400): could not decode image: not a JPEG or PNG"
                + " (first bytes: 6e 6f 74 65 73 2c 20 6e); " + ProbeImage.Check.READ))
        .contains(RejectionHint.NOT_JPEG_OR_PNG);
    assertThat(of(
            "the model could not read the image (status 400): could not decode image: 20000x20000 pixels is"
                + " more than the 50 megapixels this container accepts; " + ProbeImage.Check.READ))
        .contains(RejectionHint.TOO_LARGE);
    assertThat(of("object " + ID + " " + Sizes.overLimit(9_100_000, 6_291_456) + ": "
            + Sizes.SHRINK_AND_UPLOAD_AGAIN))
        .contains(RejectionHint.TOO_LARGE);
    assertThat(of(
            "the model refused the image as too large (status 413): image of 20000 x 20000 pixels"))
        .contains(RejectionHint.TOO_LARGE);
    assertThat(of(
            "the model could not read the image (status 400): bad input; " + ProbeImage.Check.READ))
        .contains(RejectionHint.UNREADABLE);
    assertThat(of("the model failed on this image 3 times (status 500): worker died"))
        .contains(RejectionHint.MODEL_FAILED);
    assertThat(of("object " + ID + " no longer exists (deleted after upload)"))
        .contains(RejectionHint.GONE);
    assertThat(of("object " + ID
            + " was overwritten before it could be classified; the newer version has its own"
            + " result"))
        .contains(RejectionHint.GONE);
    assertThat(of("object " + ID
            + " is archived in storage class DEEP_ARCHIVE and cannot be read until it is"
            + " restored; restore it, then reprocess it"))
        .contains(RejectionHint.ARCHIVED);
    assertThat(of("object " + ID
            + " is encrypted with a customer-provided key (SSE-C), which offhours cannot"
            + " read"))
        .contains(RejectionHint.ENCRYPTED);
    assertThat(RejectionHint.of(
            null,
            "sqs://q/m-1",
            "record 0 is about bucket x; this function classifies" + " uploads to y only"))
        .contains(RejectionHint.NOT_AN_UPLOAD);
    assertThat(of("something offhours does not know")).isEmpty();
  }

  @Test
  void aResultHasTheKindOfItsReasonOnlyWhenItIsRejected() {
    ResultItem.ObjectVersion object =
        new ResultItem.ObjectVersion("photos", "cats/truncated.jpg", null, "e", null, 1L, null);
    assertThat(RejectionHint.of(ResultItem.rejected(
            object,
            "unsupported format: object " + ID + " looks like text",
            "m",
            "e",
            Instant.EPOCH,
            1)))
        .as("read without its s3:// name, which says truncated")
        .contains(RejectionHint.NOT_JPEG_OR_PNG);
    assertThat(RejectionHint.of(
            ResultItem.rejected(object, "a reason of no known kind", "m", "e", Instant.EPOCH, 1)))
        .isEmpty();
    assertThat(RejectionHint.of(ResultItem.classified(
            object,
            List.of(new ResultItem.Label("Cat", 0.9)),
            "probabilities",
            "m",
            "e",
            Instant.EPOCH,
            1)))
        .as("a classification: its key says truncated, and it has no reason")
        .isEmpty();
  }

  /**
   * The kinds are read from words that other classes write (Classify's reasons, the local model server's 400s): a
   * reworded reason there would quietly lose its hint. So each word must still stand in some main source file other
   * than RejectionHint's own.
   */
  @Test
  void everyWordAKindIsReadFromIsStillWrittenByTheCode() throws IOException {
    StringBuilder sources = new StringBuilder();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files
          .filter(f -> f.toString().endsWith(".java"))
          .filter(f -> !f.getFileName().toString().equals("RejectionHint.java"))
          .toList()) {
        sources.append(Files.readString(f).toLowerCase(Locale.ROOT)).append('\n');
      }
    }
    for (RejectionHint hint : RejectionHint.values()) {
      for (String word : hint.words()) {
        assertThat(word)
            .as("%s's words are lower case", hint)
            .isEqualTo(word.toLowerCase(Locale.ROOT));
        assertThat(sources.indexOf(word))
            .as("'%s' (%s) is written by some class in src/main/java", word, hint)
            .isNotNegative();
      }
    }
  }

  @Test
  void readmeSaysWhatEachLineSays() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    for (RejectionHint hint : RejectionHint.values()) {
      assertThat(readme)
          .as("README lists %s as results says it", hint)
          .contains("\n- " + hint.line() + "\n");
    }
  }
}
