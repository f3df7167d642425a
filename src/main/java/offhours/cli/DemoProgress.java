package offhours.cli;

import java.util.List;
import java.util.Objects;
import offhours.endpoint.Endpoint;
import offhours.stack.Hosting;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeInferenceComponentResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;

/**
 * What {@code demo} says while it waits, in the terms of the stack's hosting: with scheduled the endpoint, which the
 * controller creates; with scale-to-zero the inference component's copies, which the controller switches on an
 * endpoint it creates once; with serverless the endpoint the stack created, which the controller never creates nor
 * deletes. The hosting's words are {@code endpoint status}'s ({@link HostingStatus}).
 *
 * @param hosting the demo's hosting
 * @param endpoint the endpoint's name
 * @param component scale-to-zero: the inference component's name, else null
 */
record DemoProgress(Hosting hosting, String endpoint, String component) {

  DemoProgress {
    Objects.requireNonNull(hosting);
    Objects.requireNonNull(endpoint);
    if ((hosting == Hosting.SCALE_TO_ZERO) != (component != null)) {
      throw new IllegalArgumentException(
          "an inference component with scale-to-zero, and only then; got " + component + " with "
              + hosting.value());
    }
  }

  /**
   * The lines before the uploads, the last ending in {@code uploading} ("uploading 7 images from ... ..."): what is
   * off and who turns it on.
   */
  List<String> before(String uploading) {
    return switch (hosting) {
      case SCHEDULED -> List.of("endpoint " + endpoint + " is off; " + uploading);
      case SCALE_TO_ZERO ->
        List.of(
            HostingStatus.line(hosting),
            "inference component " + component + " has no copies; " + uploading);
      case SERVERLESS ->
        List.of(
            HostingStatus.line(hosting),
            "serverless endpoint " + endpoint + ", created with the stack: the controller enables"
                + " the trigger once it answers a test invocation; " + uploading);
    };
  }

  /**
   * A progress line's state: what the hosting switches as SageMaker describes it now ({@code described}: the endpoint,
   * null while there is none; {@code copies}: the inference component, null while there is none or without
   * scale-to-zero) and the trigger's state. The demo prints it, with the results so far, when it changes.
   */
  String state(
      DescribeEndpointResponse described,
      DescribeInferenceComponentResponse copies,
      String trigger) {
    String state = described == null
        ? Endpoint.State.ABSENT.shown()
        : Terminal.printable(described.endpointStatusAsString());
    String what = switch (hosting) {
      case SCHEDULED -> "endpoint: " + state;
      case SERVERLESS -> "serverless endpoint: " + state;
      case SCALE_TO_ZERO -> {
        String line = "inference component " + component + ": ";
        if (copies != null) {
          yield line + HostingStatus.scaleToZero(component, copies).copiesState();
        }
        // At the first wake the controller creates the endpoint (once), then the component.
        yield line
            + Endpoint.State.ABSENT.shown()
            + (described != null && described.endpointStatus() == EndpointStatus.IN_SERVICE
                ? ""
                : "; endpoint: " + state + " (created once, at the first wake)");
      }
    };
    return what + ", trigger " + trigger;
  }
}
