package offhours.api;

import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;

/**
 * The reads behind a forecast ({@link StackObserver}: the control table's GetItems and Query, the queues'
 * GetQueueAttributes),
 * each cut after what {@code timeout} says when it starts (null: the client's own 25 s attempts and 50 s call). The
 * observer's classes are the controller's too, which has no deadline of a request to keep; this view gives the API
 * theirs without a timeout parameter through them. Any other call fails: the forecast makes none.
 */
final class BoundedReads {

  private BoundedReads() {}

  static DynamoDbClient dynamo(DynamoDbClient dynamo, Supplier<Duration> timeout) {
    return new DynamoDbClient() {
      @Override
      public GetItemResponse getItem(GetItemRequest request) {
        Duration cut = timeout.get();
        return dynamo.getItem(
            cut == null
                ? request
                : request.toBuilder()
                    .overrideConfiguration(
                        bounded(request.overrideConfiguration().orElse(null), cut))
                    .build());
      }

      @Override
      public QueryResponse query(QueryRequest request) {
        Duration cut = timeout.get();
        return dynamo.query(
            cut == null
                ? request
                : request.toBuilder()
                    .overrideConfiguration(
                        bounded(request.overrideConfiguration().orElse(null), cut))
                    .build());
      }

      @Override
      public String serviceName() {
        return dynamo.serviceName();
      }

      @Override
      public void close() {}
    };
  }

  static SqsClient sqs(SqsClient sqs, Supplier<Duration> timeout) {
    return new SqsClient() {
      @Override
      public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
        Duration cut = timeout.get();
        return sqs.getQueueAttributes(
            cut == null
                ? request
                : request.toBuilder()
                    .overrideConfiguration(
                        bounded(request.overrideConfiguration().orElse(null), cut))
                    .build());
      }

      @Override
      public String serviceName() {
        return sqs.serviceName();
      }

      @Override
      public void close() {}
    };
  }

  private static AwsRequestOverrideConfiguration bounded(
      AwsRequestOverrideConfiguration given, Duration cut) {
    AwsRequestOverrideConfiguration.Builder builder =
        given == null ? AwsRequestOverrideConfiguration.builder() : given.toBuilder();
    return builder.apiCallTimeout(cut).build();
  }
}
