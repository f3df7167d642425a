package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;

/** The backlog reads each queue's attributes in one call of "All" (AwsAdaptersIT reads them from moto_server). */
class SqsBacklogTest {

  private final List<GetQueueAttributesRequest> reads = new ArrayList<>();

  /** Answers every attribute of a queue, as SQS does for "All": more than the backlog uses. */
  private final SqsClient sqs = new SqsClient() {
    @Override
    public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
      reads.add(request);
      boolean dlq = request.queueUrl().endsWith("/dlq");
      return GetQueueAttributesResponse.builder()
          .attributesWithStrings(Map.of(
              "ApproximateNumberOfMessages",
              dlq ? "4" : "120",
              "ApproximateNumberOfMessagesNotVisible",
              dlq ? "0" : "30",
              "ApproximateNumberOfMessagesDelayed",
              dlq ? "0" : "2",
              "VisibilityTimeout",
              "5400",
              "MessageRetentionPeriod",
              "1209600",
              "QueueArn",
              "arn:aws:sqs:us-east-1:123456789012:q"))
          .build();
    }

    @Override
    public String serviceName() {
      return "sqs";
    }

    @Override
    public void close() {}
  };

  @Test
  void readsTheCountsOfTheQueueAndTheDlqFromOneAllReadEach() {
    Backlog.Snapshot snapshot = new SqsBacklog(sqs, "http://sqs/q", "http://sqs/dlq").read();

    assertThat(snapshot).isEqualTo(new Backlog.Snapshot(120, 30, 2, 4));
    // moto_server rebuilds every attribute three times per name asked, once for All (see
    // SqsBacklog).
    assertThat(reads)
        .extracting(
            GetQueueAttributesRequest::queueUrl, GetQueueAttributesRequest::attributeNamesAsStrings)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("http://sqs/q", List.of("All")),
            org.assertj.core.groups.Tuple.tuple("http://sqs/dlq", List.of("All")));
  }

  @Test
  void withoutADlqReadsTheQueueAlone() {
    assertThat(new SqsBacklog(sqs, "http://sqs/q", "").read().dead()).isZero();
    assertThat(reads).hasSize(1);
  }
}
