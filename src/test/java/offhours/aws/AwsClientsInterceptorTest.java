package offhours.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import offhours.aws.AwsClients.Service;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** The hook the permission test records every SDK call with; a loopback server stands in for SQS. */
class AwsClientsInterceptorTest {

  @Test
  void anAddedInterceptorSeesEveryCallAndKeepsTheCallersOwnOverrides() throws Exception {
    StubHttpServer server = StubHttpServer.start(request -> new Reply(
        500,
        Map.of("Content-Type", "application/x-amz-json-1.0"),
        "{\"__type\":\"com.amazonaws.sqs#InternalError\",\"message\":\"try again\"}"
            .getBytes(StandardCharsets.UTF_8)));
    List<String> seen = new CopyOnWriteArrayList<>();
    ExecutionInterceptor recorder = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        seen.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
            + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
      }
    };
    URI endpoint = server.uri();
    try (AwsClients plain = AwsClients.local(Region.EU_CENTRAL_1, Map.of(Service.SQS, endpoint));
        AwsClients recording = plain.withInterceptor(recorder);
        SqsClient sqs = recording.build(
            Service.SQS,
            SqsClient.builder()
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())))) {

      assertThatThrownBy(() -> sqs.getQueueUrl(r -> r.queueName("offhours-queue")))
          .isInstanceOf(SqsException.class);

      assertThat(seen).containsExactly("Sqs.GetQueueUrl");
      assertThat(server.requests())
          .as("the caller's no-retry strategy survives the added interceptor")
          .hasSize(1);
      assertThat(recording.region()).isEqualTo(Region.EU_CENTRAL_1);
    } finally {
      server.close();
    }
  }

  @Test
  void clientsBuiltWithoutTheHookRecordNothing() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    ExecutionInterceptor recorder = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        seen.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
      }
    };
    URI nowhere = URI.create("http://127.0.0.1:9");
    try (AwsClients plain = AwsClients.local(Region.EU_CENTRAL_1, Map.of(Service.SQS, nowhere));
        AwsClients recording = plain.withInterceptor(recorder);
        SqsClient unrecorded = plain.build(
            Service.SQS,
            SqsClient.builder()
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())))) {

      assertThatThrownBy(() -> unrecorded.getQueueUrl(r -> r.queueName("q"))).isNotNull();

      assertThat(seen)
          .as("the original factory is unchanged by withInterceptor")
          .isEmpty();
      assertThat(recording).isNotSameAs(plain);
    }
  }
}
