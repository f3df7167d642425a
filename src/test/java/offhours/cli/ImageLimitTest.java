package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.local.StateFile;
import org.junit.jupiter.api.Test;

/**
 * The limit {@code upload} notes by and the page of {@code ui} refuses by: the stack's Classify function's, from its
 * hosting as the command line already reads it (the local stack's state file, a deployed stack's parameters), and
 * InvokeEndpoint's, said to be assumed, where the hosting is not known.
 */
class ImageLimitTest {

  @Test
  void aLocalStackHostedServerlessHasFourMebibytes() {
    assertThat(ImageLimit.of(local(Map.of("HOSTING", "serverless"))))
        .isEqualTo(new ImageLimit(4_194_304, Optional.empty()));
    assertThat(ImageLimit.of(local(Map.of("HOSTING", "scheduled"))))
        .isEqualTo(new ImageLimit(6_291_456, Optional.empty()));
  }

  @Test
  void aDeployedStackHasItsHostingParametersLimit() {
    assertThat(ImageLimit.of(TestTargets.deployed(Map.of(), Map.of("Hosting", "serverless"))))
        .isEqualTo(new ImageLimit(4_194_304, Optional.empty()));
    assertThat(ImageLimit.of(TestTargets.deployed(Map.of(), Map.of("Hosting", "scale-to-zero"))))
        .isEqualTo(new ImageLimit(6_291_456, Optional.empty()));
  }

  @Test
  void aStackWhoseHostingIsNotKnownGetsInvokeEndpointsLimitAndSaysWhy() {
    String taken = "; the limit taken is InvokeEndpoint's, 6.3 MB, which every hosting has but"
        + " serverless (4.2 MB)";
    assertThat(ImageLimit.of(TestTargets.deployed(Map.of(), Map.of())))
        .as("a stack from before the Hosting parameter predates serverless: nothing assumed")
        .isEqualTo(new ImageLimit(6_291_456, Optional.empty()));
    assertThat(ImageLimit.of(TestTargets.local(Map.of())))
        .isEqualTo(new ImageLimit(6_291_456, Optional.empty()));
    assertThat(ImageLimit.of(local(Map.of("HOSTING", "async\u001b[2J"))).assumption())
        .as("a value the state file holds is shown escaped")
        .contains("the local stack's hosting is 'async\\x1b[2J', which this version does not know"
            + " (scheduled, scale-to-zero or serverless)" + taken);
  }

  private static Target local(Map<String, String> settings) {
    return TestTargets.local(
        Map.of(),
        new StateFile(
            null, null, null, null, null, null, null, null, settings, List.of(), null, null));
  }
}
