package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoWaitTest {

  @Test
  void whyTheDemoStoppedWaitingShowsAnUploadsControlCharactersEscaped() {
    // The reason Classify logged names the upload; a file name may hold a terminal escape.
    String line = DemoWait.stoppedWaiting(
        "an upload could not be classified: photos/a\u001b[2Jb.jpg: timed out",
        Path.of("/cache/logs"));

    assertThat(line)
        .isEqualTo("offhours demo: stopped waiting: an upload could not be classified: photos/a"
            + Terminal.printable("\u001b") + "[2Jb.jpg: timed out; logs are in /cache/logs")
        .doesNotContain("\u001b");
  }

  @Test
  void aModelThatRefusesTheRequestsContentTypeEndsTheWaitSayingWhichFlagsSetIt() {
    String outcome =
        "test invocation failed, mapping stays disabled, retry next run: the model refused the"
            + " request's Content-Type (status 400): Content type application/x-image is not supported by this"
            + " framework.; set the content type (auto sends image/jpeg or image/png) and accept settings to what"
            + " the container takes";

    assertThat(DemoWait.hopeless(outcome))
        .hasValue("the model refuses the requests, so the trigger stays off: the model refused the"
            + " request's Content-Type (status 400): Content type application/x-image is not supported by"
            + " this framework.; set the content type (auto sends image/jpeg or image/png) and accept"
            + " settings to what the container takes (--content-type and --accept here)");
  }

  @Test
  void anAnswerThatDoesNotFitEndsTheWaitAndAnEndpointThatIsNotReadyDoesNot() {
    assertThat(
            DemoWait.hopeless("test invocation failed, mapping stays disabled, retry next run: the"
                + " answer does not fit the model's settings: the answer names class 'tabby'"))
        .hasValue(
            "the endpoint answers, but not as the model's settings say, so the trigger stays off:"
                + " the answer names class 'tabby'");
    assertThat(
            DemoWait.hopeless("test invocation failed, mapping stays disabled, retry next run: the"
                + " endpoint's model is not ready yet"))
        .isEmpty();
  }

  @Test
  void rowsWithoutAResultPointToTheReasonSaidOnceBelowTheTable() {
    assertThat(DemoWait.missingReason(java.util.Optional.of(
            "the endpoint answers, but not as the model's settings say, so the trigger stays off: the"
                + " answer names class 'tabby'")))
        .isEqualTo("not classified: the demo stopped waiting (why: below)");
    assertThat(DemoWait.missingReason(java.util.Optional.empty()))
        .isEqualTo("still waiting in the queue");
  }
}
