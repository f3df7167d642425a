package offhours.endpoint.cfn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import offhours.aws.AwsClients;
import offhours.aws.InvocationDeadline;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointRequest;

/** The time each call of a custom resource's invocation is given ({@link ResponseDeadline}). */
class ResponseDeadlineTest {

  private static Duration given(long remainingMillis, SdkRequest request) {
    ExecutionAttributes attributes = new ExecutionAttributes();
    attributes.putAttribute(SdkExecutionAttribute.OPERATION_NAME, "DescribeEndpoint");
    attributes.putAttribute(SdkExecutionAttribute.SERVICE_NAME, "SageMaker");
    SdkRequest modified = new ResponseDeadline(() -> new InvocationDeadline(() -> remainingMillis))
        .modifyRequest(() -> request, attributes);
    return ((AwsRequest) modified)
        .overrideConfiguration()
        .flatMap(AwsRequestOverrideConfiguration::apiCallTimeout)
        .orElse(null);
  }

  private static final DescribeEndpointRequest DESCRIBE =
      DescribeEndpointRequest.builder().endpointName("offhours-endpoint").build();

  @Test
  void aCallNearTheEndGetsWhatIsLeftBeyondTheAnswersTime() {
    assertThat(given(ResponseDeadline.ANSWER.plusSeconds(7).toMillis(), DESCRIBE))
        .isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void aCallWithMoreTimeLeftKeepsItsClientsCallTimeout() {
    // A request's apiCallTimeout replaces its client's: 250 s given at the Delete's start would let
    // a stalled call run five times the 50 s the client allows.
    assertThat(given(290_000, DESCRIBE))
        .as("left to the client's %s", AwsClients.CALL_TIMEOUT)
        .isNull();
  }

  @Test
  void aCallsOwnShorterTimeoutStays() {
    SdkRequest own = DESCRIBE.toBuilder()
        .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(2)))
        .build();
    assertThat(given(ResponseDeadline.ANSWER.plusSeconds(7).toMillis(), own))
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void withoutALambdaContextNothingChanges() {
    ExecutionAttributes attributes = new ExecutionAttributes();
    assertThat(new ResponseDeadline(() -> InvocationDeadline.NONE)
            .modifyRequest(() -> DESCRIBE, attributes))
        .isSameAs(DESCRIBE);
  }
}
