package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

  @Test
  void theFolderIsShownAsTypedFromWhereTheUserIs() {
    Path root = Path.of("/home/me/offhours");
    assertThat(DemoCommand.shown("/home/me/offhours/src/demo/images", root))
        .isEqualTo("src/demo/images");
    assertThat(DemoCommand.shown("/home/me/offhours/./src/demo/../demo/images", root))
        .isEqualTo("src/demo/images");
    assertThat(DemoCommand.shown("/srv/photos", root)).isEqualTo("/srv/photos");
    assertThat(DemoCommand.shown("/home/me/offhours", root)).isEqualTo("/home/me/offhours");
    assertThat(DemoCommand.shown("/home/me/offhours-old/src", root))
        .isEqualTo("/home/me/offhours-old/src");
  }

  @Test
  void filesLeftOutOfANamedFolderAreSaidAsUploadSaysThem(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("cat.jpg"), new byte[] {1});
    Files.write(dir.resolve("dog.heic"), new byte[] {1});
    UploadPlan plan = UploadPlan.of(List.of(dir.toString()), "");
    assertThat(DemoCommand.skipped(plan, true))
        .contains(
            "skipped 1 file in folders: 1 not .jpg, .jpeg or .png (would never get a result): "
                + dir.resolve("dog.heic"));
    // The default folder (src/demo/images) holds its NOTICE.md: not worth a line in every demo.
    assertThat(DemoCommand.skipped(plan, false)).isEmpty();
    Files.delete(dir.resolve("dog.heic"));
    assertThat(DemoCommand.skipped(UploadPlan.of(List.of(dir.toString()), ""), true))
        .isEmpty();
  }

  @Test
  void aModelThatRefusesTheRequestsContentTypeEndsTheWaitSayingWhichFlagsSetIt() {
    String outcome =
        "test invocation failed, mapping stays disabled, retry next run: the model refused the"
            + " request's Content-Type (status 400): Content type application/x-image is not supported by this"
            + " framework.; set the content type (auto sends image/jpeg or image/png) and accept settings to what"
            + " the container takes";

    assertThat(DemoCommand.hopeless(outcome))
        .hasValue("the model refuses the requests, so the trigger stays off: the model refused the"
            + " request's Content-Type (status 400): Content type application/x-image is not supported by"
            + " this framework.; set the content type (auto sends image/jpeg or image/png) and accept"
            + " settings to what the container takes (--content-type and --accept here)");
  }

  @Test
  void anAnswerThatDoesNotFitEndsTheWaitAndAnEndpointThatIsNotReadyDoesNot() {
    assertThat(DemoCommand.hopeless(
            "test invocation failed, mapping stays disabled, retry next run: the"
                + " answer does not fit the model's settings: the answer names class 'tabby'"))
        .hasValue(
            "the endpoint answers, but not as the model's settings say, so the trigger stays off:"
                + " the answer names class 'tabby'");
    assertThat(DemoCommand.hopeless(
            "test invocation failed, mapping stays disabled, retry next run: the"
                + " endpoint's model is not ready yet"))
        .isEmpty();
  }

  @Test
  void rowsWithoutAResultPointToTheReasonSaidOnceBelowTheTable() {
    assertThat(DemoCommand.missingReason(java.util.Optional.of(
            "the endpoint answers, but not as the model's settings say, so the trigger stays off: the"
                + " answer names class 'tabby'")))
        .isEqualTo("not classified: the demo stopped waiting (why: below)");
    assertThat(DemoCommand.missingReason(java.util.Optional.empty()))
        .isEqualTo("still waiting in the queue");
  }
}
