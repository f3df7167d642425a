package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import offhours.testing.FakeDynamoDb;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The Lambda handler gives POST /classify the invocation's deadline from its context. */
class ApiHandlerDeadlineTest {

  @Test
  void anImageTheInvocationHasNoTimeLeftToStoreIsA503WithRetryAfter() throws IOException {
    SageMakerRuntimeClient unavailable = new SageMakerRuntimeClient() {
      @Override
      public InvokeEndpointResponse invokeEndpoint(InvokeEndpointRequest request) {
        throw SageMakerRuntimeException.builder()
            .statusCode(503)
            .message("try later")
            .build();
      }

      @Override
      public String serviceName() {
        return "sagemaker";
      }

      @Override
      public void close() {}
    };
    Api api = new Api(
        ApiFixtures.unused(S3Client.class),
        ApiFixtures.unused(SqsClient.class),
        new FakeDynamoDb(),
        unavailable,
        ApiFixtures.config(),
        Clock.fixed(Instant.parse("2026-11-28T09:00:00Z"), ZoneOffset.UTC));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    new ApiHandler(api)
        .handleRequest(
            new ByteArrayInputStream(
                Files.readAllBytes(Path.of("events", "api-post-classify.json"))),
            out,
            remaining(600));

    HttpEvents.Reply reply = HttpEvents.response(out.toByteArray());
    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.headers()).containsEntry("retry-after", "30");
    assertThat(JsonText.string(JsonText.parse(reply.body()), "message"))
        .contains("the image was not stored; send it again");
  }

  private static Context remaining(int millis) {
    return (Context) java.lang.reflect.Proxy.newProxyInstance(
        Context.class.getClassLoader(),
        new Class<?>[] {Context.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getRemainingTimeInMillis" -> millis;
          default -> throw new UnsupportedOperationException("Context." + method.getName());
        });
  }
}
