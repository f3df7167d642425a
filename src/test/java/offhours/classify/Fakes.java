package offhours.classify;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import offhours.inference.ProbeImage;
import offhours.testing.LambdaSqsJson;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** Hand-written in-memory stand-ins for the SDK clients the Classify function uses. */
final class Fakes {

  private Fakes() {}

  /** An event fixture from events/, read by the Lambda runtime's own serializer. */
  static SQSEvent fixture(String name) {
    return LambdaSqsJson.fixture(name);
  }

  static byte[] image(String name) {
    try {
      return Files.readAllBytes(Path.of("src/test/resources/images", name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Objects by "bucket/key" with their ETag; honours If-Match like S3 (412 PreconditionFailed). */
  static final class FakeS3 implements S3Client {
    record StoredObject(byte[] bytes, String eTag) {}

    final Map<String, StoredObject> objects = new ConcurrentHashMap<>();
    final List<GetObjectRequest> gets = new CopyOnWriteArrayList<>();
    volatile RuntimeException failWith;

    FakeS3 put(String bucket, String key, byte[] bytes, String eTag) {
      objects.put(bucket + "/" + key, new StoredObject(bytes, eTag));
      return this;
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getObject(GetObjectRequest request) {
      gets.add(request);
      StoredObject object = find(request);
      return new ResponseInputStream<>(
          GetObjectResponse.builder()
              .contentLength((long) object.bytes().length)
              .eTag('"' + object.eTag() + '"')
              .build(),
          AbortableInputStream.create(new ByteArrayInputStream(object.bytes())));
    }

    @Override
    public ResponseBytes<GetObjectResponse> getObjectAsBytes(GetObjectRequest request) {
      gets.add(request);
      StoredObject object = find(request);
      return ResponseBytes.fromByteArray(GetObjectResponse.builder().build(), object.bytes());
    }

    private StoredObject find(GetObjectRequest request) {
      if (failWith != null) {
        throw failWith;
      }
      StoredObject object = objects.get(request.bucket() + "/" + request.key());
      if (object == null) {
        throw NoSuchKeyException.builder()
            .statusCode(404)
            .awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("NoSuchKey")
                .errorMessage("The specified key does not exist.")
                .build())
            .build();
      }
      if (request.ifMatch() != null && !request.ifMatch().replace("\"", "").equals(object.eTag())) {
        throw s3Error(
            412,
            "PreconditionFailed",
            "At least one of the pre-conditions you specified did not hold");
      }
      return object;
    }

    @Override
    public String serviceName() {
      return "s3";
    }

    @Override
    public void close() {}
  }

  static S3Exception s3Error(int status, String code, String message) {
    return (S3Exception) S3Exception.builder()
        .statusCode(status)
        .awsErrorDetails(
            AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
        .build();
  }

  /** What SageMaker Runtime answers while the endpoint does not exist (the controller stopped it). */
  static ValidationErrorException endpointNotFound() {
    return (ValidationErrorException) ValidationErrorException.builder()
        .statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("ValidationError")
            .errorMessage("Endpoint offhours-endpoint of account 1 not found.")
            .build())
        .build();
  }

  /** SQS's queues as the fakes need them: sends what SQS takes, refuses what SQS refuses. */
  static final class FakeSqs implements SqsClient {
    /** The copies SQS took. */
    final List<SendMessageRequest> sent = new CopyOnWriteArrayList<>();
    /** The sends SQS refused as it does: a DelaySeconds outside 0-900 (InvalidParameterValue); none was enqueued. */
    final List<SendMessageRequest> refusedSends = new CopyOnWriteArrayList<>();

    final List<ChangeMessageVisibilityBatchRequest> paced = new CopyOnWriteArrayList<>();
    volatile RuntimeException failWith;
    /** Fails the visibility changes only; null: each succeeds unless {@link #refuse} names its receipt handle. */
    volatile RuntimeException failPacingWith;
    /** Receipt handles whose change SQS refuses in its answer (a Failed entry of a 200). */
    final java.util.Set<String> refuse = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public ChangeMessageVisibilityBatchResponse changeMessageVisibilityBatch(
        ChangeMessageVisibilityBatchRequest request) {
      if (failPacingWith != null) {
        throw failPacingWith;
      }
      paced.add(request);
      ChangeMessageVisibilityBatchResponse.Builder response =
          ChangeMessageVisibilityBatchResponse.builder();
      List<BatchResultErrorEntry> failed = new ArrayList<>();
      List<ChangeMessageVisibilityBatchResultEntry> successful = new ArrayList<>();
      for (ChangeMessageVisibilityBatchRequestEntry e : request.entries()) {
        if (refuse.contains(e.receiptHandle())) {
          failed.add(BatchResultErrorEntry.builder()
              .id(e.id())
              .code("ReceiptHandleIsInvalid")
              .message("The input receipt handle is invalid.")
              .senderFault(true)
              .build());
        } else {
          successful.add(
              ChangeMessageVisibilityBatchResultEntry.builder().id(e.id()).build());
        }
      }
      return response.failed(failed).successful(successful).build();
    }

    @Override
    public SendMessageResponse sendMessage(SendMessageRequest request) {
      if (failWith != null) {
        throw failWith;
      }
      Integer delay = request.delaySeconds();
      if (delay != null && (delay < 0 || delay > 900)) {
        refusedSends.add(request);
        throw (SqsException) SqsException.builder()
            .statusCode(400)
            .awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("InvalidParameterValue")
                .errorMessage("Value " + delay + " for parameter DelaySeconds is invalid. Reason:"
                    + " DelaySeconds must be >= 0 and <= 900.")
                .build())
            .build();
      }
      sent.add(request);
      return SendMessageResponse.builder().messageId("copy-" + sent.size()).build();
    }

    @Override
    public String serviceName() {
      return "sqs";
    }

    @Override
    public void close() {}
  }

  /** Answers every InvokeEndpoint with {@code answer}, which may throw. */
  /** Whether {@code request} sends offhours' probe image. */
  static boolean probe(InvokeEndpointRequest request) {
    return Arrays.equals(request.body().asByteArray(), ProbeImage.bytes());
  }

  static final class FakeRuntime implements SageMakerRuntimeClient {
    final List<InvokeEndpointRequest> requests = new CopyOnWriteArrayList<>();
    volatile Function<InvokeEndpointRequest, String> answer = r -> "[0.1, 0.7, 0.05, 0.1, 0.05]";
    /** The production variant the answer names (x-Amzn-Invoked-Production-Variant), or null. */
    volatile String variant;

    @Override
    public InvokeEndpointResponse invokeEndpoint(InvokeEndpointRequest request) {
      requests.add(request);
      return InvokeEndpointResponse.builder()
          .contentType("application/json")
          .invokedProductionVariant(variant)
          .body(SdkBytes.fromUtf8String(answer.apply(request)))
          .build();
    }

    @Override
    public String serviceName() {
      return "runtime.sagemaker";
    }

    @Override
    public void close() {}
  }
}
