package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import offhours.stack.Hosting;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeInferenceComponentResponse;

class DemoProgressTest {

  private static final String UPLOADING = "uploading 7 images from src/demo/images ...";

  private static DescribeEndpointResponse endpoint(String status) {
    return DescribeEndpointResponse.builder()
        .endpointName("offhours-endpoint")
        .endpointStatus(status)
        .build();
  }

  private static DescribeInferenceComponentResponse component(
      String status, int current, int desired) {
    return DescribeInferenceComponentResponse.builder()
        .inferenceComponentName("offhours-component")
        .inferenceComponentStatus(status)
        .runtimeConfig(r -> r.currentCopyCount(current).desiredCopyCount(desired))
        .build();
  }

  @Test
  void scheduledSpeaksOfTheEndpointTheControllerCreatesAsTheReadmeQuotesIt() {
    DemoProgress scheduled = new DemoProgress(Hosting.SCHEDULED, "offhours-endpoint", null);

    assertThat(scheduled.before(UPLOADING))
        .containsExactly(
            "endpoint offhours-endpoint is off; uploading 7 images from src/demo/images ...");
    assertThat(scheduled.state(null, null, "Disabled"))
        .isEqualTo("endpoint: absent, trigger Disabled");
    assertThat(scheduled.state(endpoint("Creating"), null, "Disabled"))
        .isEqualTo("endpoint: Creating, trigger Disabled");
    assertThat(scheduled.state(endpoint("InService"), null, "Enabled"))
        .isEqualTo("endpoint: InService, trigger Enabled");
  }

  @Test
  void scaleToZeroSpeaksOfTheComponentsCopiesInEndpointStatussWords() {
    DemoProgress copies =
        new DemoProgress(Hosting.SCALE_TO_ZERO, "offhours-endpoint", "offhours-component");

    assertThat(copies.before(UPLOADING))
        .containsExactly(
            "hosting: scale-to-zero (the endpoint stays; the controller switches the inference"
                + " component's copies)",
            "inference component offhours-component has no copies; " + UPLOADING);
    // A new stack: the first wake creates the endpoint, once, then the component on it.
    assertThat(copies.state(null, null, "Disabled"))
        .isEqualTo("inference component offhours-component: absent; endpoint: absent (created"
            + " once, at the first wake), trigger Disabled");
    assertThat(copies.state(endpoint("Creating"), null, "Disabled"))
        .isEqualTo("inference component offhours-component: absent; endpoint: Creating (created"
            + " once, at the first wake), trigger Disabled");
    assertThat(copies.state(endpoint("InService"), null, "Disabled"))
        .isEqualTo("inference component offhours-component: absent, trigger Disabled");
    assertThat(copies.state(endpoint("InService"), component("Creating", 0, 1), "Disabled"))
        .isEqualTo("inference component offhours-component: Creating, 0 of 1 copies (scaling to 1"
            + " copy; nothing answers yet), trigger Disabled");
    assertThat(copies.state(endpoint("InService"), component("InService", 1, 1), "Enabled"))
        .isEqualTo("inference component offhours-component: InService, 1 of 1 copies (1 copy"
            + " serving), trigger Enabled");
    assertThat(copies.state(endpoint("InService"), component("InService", 0, 0), "Disabled"))
        .isEqualTo("inference component offhours-component: InService, 0 of 0 copies (0 copies:"
            + " nothing answers; uploads wait in the queue), trigger Disabled");
  }

  @Test
  void serverlessSaysTheStackCreatedTheEndpointNotThatItIsOff() {
    DemoProgress serverless = new DemoProgress(Hosting.SERVERLESS, "offhours-endpoint", null);

    assertThat(serverless.before(UPLOADING))
        .containsExactly(
            "hosting: serverless (the stack owns the endpoint; the controller never creates nor"
                + " deletes it)",
            "serverless endpoint offhours-endpoint, created with the stack: the controller enables"
                + " the trigger once it answers a test invocation; " + UPLOADING)
        .noneMatch(line -> line.contains("is off"));
    assertThat(serverless.state(endpoint("Creating"), null, "Disabled"))
        .isEqualTo("serverless endpoint: Creating, trigger Disabled");
    assertThat(serverless.state(endpoint("InService"), null, "Enabled"))
        .isEqualTo("serverless endpoint: InService, trigger Enabled");
  }

  @Test
  void aComponentGoesWithScaleToZeroAlone() {
    assertThatThrownBy(() -> new DemoProgress(Hosting.SCALE_TO_ZERO, "offhours-endpoint", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new DemoProgress(Hosting.SERVERLESS, "offhours-endpoint", "offhours-component"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void endpointStatusSaysTheHostingInTheSameWords() {
    assertThat(HostingStatus.scheduled().render(null))
        .startsWith(HostingStatus.line(Hosting.SCHEDULED) + "\n");
    assertThat(HostingStatus.scaleToZero("offhours-component", component("InService", 1, 1))
            .render(endpoint("InService")))
        .isEqualTo(
            HostingStatus.line(Hosting.SCALE_TO_ZERO) + "\n"
                + "inference component offhours-component: InService, 1 of 1 copies (1 copy serving)\n");
  }
}
