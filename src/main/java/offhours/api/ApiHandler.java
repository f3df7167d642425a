package offhours.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.aws.PayloadLimits;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The API function behind API Gateway's HTTP API (payload format 2.0). A stream handler, so the event is read with
 * the SDK's JSON code and neither the Lambda events library nor Jackson databind ships in api.zip.
 */
public final class ApiHandler implements RequestStreamHandler {

  private final Api api;

  /** Lambda's constructor: the environment is read once and the clients are built once, during init. */
  public ApiHandler() {
    this(System.getenv());
  }

  private ApiHandler(Map<String, String> env) {
    this(ApiConfig.fromEnv(env), AwsClients.forLambda(env));
  }

  private ApiHandler(ApiConfig config, AwsClients aws) {
    this(new Api(
        aws.build(Service.S3, S3Client.builder()),
        aws.build(Service.SQS, SqsClient.builder()),
        aws.build(Service.DYNAMODB, DynamoDbClient.builder()),
        aws.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder()),
        config,
        Clock.systemUTC()));
  }

  /** Local mode and tests: the API with its clients given. */
  public ApiHandler(Api api) {
    this.api = api;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    ApiResponse response;
    try {
      ApiRequest request = HttpEvents.read(input.readAllBytes());
      // Without a context (tools, tests) there is no deadline.
      response = context == null
          ? api.handle(request)
          : api.handle(request, () -> context.getRemainingTimeInMillis());
    } catch (IllegalArgumentException e) {
      response = ApiResponse.error(400, "the request could not be read: " + e.getMessage());
    }
    output.write(answer(response));
  }

  /**
   * The response event for {@code response}, or, when it would be larger than Lambda lets a function answer
   * ({@link PayloadLimits#LAMBDA_RESPONSE_PAYLOAD_BYTES}: the invocation would fail and API Gateway answer a bare 500),
   * a 500 that says so. A page of results whose labels are many and long (TopK up to 100, a label up to 2,048 bytes)
   * can outgrow it.
   */
  static byte[] answer(ApiResponse response) {
    byte[] event = HttpEvents.write(response);
    if (event.length <= PayloadLimits.LAMBDA_RESPONSE_PAYLOAD_BYTES) {
      return event;
    }
    return HttpEvents.write(ApiResponse.error(
        500,
        "the answer is " + event.length + " bytes as a Lambda response, over the "
            + PayloadLimits.LAMBDA_RESPONSE_PAYLOAD_BYTES + " Lambda lets a function answer;"
            + " a page of GET /results is smaller with a smaller limit=N"));
  }
}
