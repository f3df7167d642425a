package offhours.api;

import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequest;
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
        return dynamo.getItem(bounded(request, timeout));
      }

      @Override
      public QueryResponse query(QueryRequest request) {
        return dynamo.query(bounded(request, timeout));
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
        return sqs.getQueueAttributes(bounded(request, timeout));
      }

      @Override
      public String serviceName() {
        return sqs.serviceName();
      }

      @Override
      public void close() {}
    };
  }

  /** {@code request} cut after what {@code timeout} says now (null: as it is), its other overrides kept. */
  @SuppressWarnings("unchecked") // toBuilder().build() gives back the request's own type
  private static <T extends AwsRequest> T bounded(T request, Supplier<Duration> timeout) {
    Duration cut = timeout.get();
    if (cut == null) {
      return request;
    }
    AwsRequestOverrideConfiguration given = request.overrideConfiguration().orElse(null);
    AwsRequestOverrideConfiguration.Builder override =
        given == null ? AwsRequestOverrideConfiguration.builder() : given.toBuilder();
    return (T) request.toBuilder()
        .overrideConfiguration(override.apiCallTimeout(cut).build())
        .build();
  }
}
