package offhours.api;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;

/**
 * The API's reads, each cut after what {@code timeout} says when it starts (null: the client's own
 * {@link offhours.aws.AwsClients#ATTEMPT_TIMEOUT} attempts and {@link offhours.aws.AwsClients#CALL_TIMEOUT} call): a
 * forecast's ({@link StackObserver}: the control table's GetItems and Query, the queues' GetQueueAttributes) and GET
 * /results' (the results table's Queries, S3's HeadObject). The observer's and the results table's classes serve the
 * controller and the CLI too, which have no request's deadline to keep; this view gives the API theirs without a
 * timeout parameter through them. A read the cut ends throws an {@link ApiCallTimeoutException} that names it. Any
 * other call fails: the API's reads make none.
 */
final class BoundedReads {

  private BoundedReads() {}

  static DynamoDbClient dynamo(DynamoDbClient dynamo, Supplier<Duration> timeout) {
    return new DynamoDbClient() {
      @Override
      public GetItemResponse getItem(GetItemRequest request) {
        return bounded(
            "DynamoDB's GetItem on " + request.tableName(), request, timeout, dynamo::getItem);
      }

      @Override
      public QueryResponse query(QueryRequest request) {
        return bounded(
            "DynamoDB's Query on " + request.tableName(), request, timeout, dynamo::query);
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
        return bounded(
            "SQS's GetQueueAttributes on " + request.queueUrl(),
            request,
            timeout,
            sqs::getQueueAttributes);
      }

      @Override
      public String serviceName() {
        return sqs.serviceName();
      }

      @Override
      public void close() {}
    };
  }

  static S3Client s3(S3Client s3, Supplier<Duration> timeout) {
    return new S3Client() {
      @Override
      public HeadObjectResponse headObject(HeadObjectRequest request) {
        return bounded(
            "S3's HeadObject on s3://" + request.bucket() + "/" + request.key(),
            request,
            timeout,
            s3::headObject);
      }

      @Override
      public String serviceName() {
        return s3.serviceName();
      }

      @Override
      public void close() {}
    };
  }

  /**
   * {@code request} sent cut after what {@code timeout} says now (null: as it is), its other overrides kept; a cut
   * read throws an {@link ApiCallTimeoutException} saying {@code what} did not answer in its time.
   */
  @SuppressWarnings("unchecked") // toBuilder().build() gives back the request's own type
  private static <T extends AwsRequest, R> R bounded(
      String what, T request, Supplier<Duration> timeout, Function<T, R> send) {
    Duration cut = timeout.get();
    if (cut == null) {
      return send.apply(request);
    }
    AwsRequestOverrideConfiguration given = request.overrideConfiguration().orElse(null);
    AwsRequestOverrideConfiguration.Builder override =
        given == null ? AwsRequestOverrideConfiguration.builder() : given.toBuilder();
    T cutRequest = (T) request.toBuilder()
        .overrideConfiguration(override.apiCallTimeout(cut).build())
        .build();
    try {
      return send.apply(cutRequest);
    } catch (ApiCallTimeoutException e) {
      throw ApiCallTimeoutException.create(
          what + " did not answer in the " + cut.toMillis() + " ms this request had left for it",
          e);
    }
  }
}
