package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import offhours.testing.QueueAttributesSqs;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;

/** The forecast's reads carry the request's deadline as their call timeout, asked for as each read starts. */
class BoundedReadsTest {

  private final List<QueryRequest> queries = new ArrayList<>();
  private final List<GetItemRequest> gets = new ArrayList<>();
  private final List<GetQueueAttributesRequest> attributes = new ArrayList<>();

  private final DynamoDbClient dynamo = new DynamoDbClient() {
    @Override
    public GetItemResponse getItem(GetItemRequest request) {
      gets.add(request);
      return GetItemResponse.builder().build();
    }

    @Override
    public QueryResponse query(QueryRequest request) {
      queries.add(request);
      return QueryResponse.builder().build();
    }

    @Override
    public String serviceName() {
      return "dynamodb";
    }

    @Override
    public void close() {}
  };

  private final SqsClient sqs = new QueueAttributesSqs(attributes);

  @Test
  void eachReadIsCutAfterWhatTheDeadlineLeavesWhenItStarts() {
    List<Duration> left = new ArrayList<>(
        List.of(Duration.ofMillis(7_500), Duration.ofMillis(7_400), Duration.ofMillis(7_300)));

    BoundedReads.dynamo(dynamo, () -> left.removeFirst()).query(q -> q.tableName("control"));
    BoundedReads.dynamo(dynamo, () -> left.removeFirst()).getItem(g -> g.tableName("control"));
    BoundedReads.sqs(sqs, () -> left.removeFirst()).getQueueAttributes(g -> g.queueUrl("q"));

    assertThat(queries.getFirst().overrideConfiguration().orElseThrow().apiCallTimeout())
        .contains(Duration.ofMillis(7_500));
    assertThat(queries.getFirst().tableName()).isEqualTo("control");
    assertThat(gets.getFirst().overrideConfiguration().orElseThrow().apiCallTimeout())
        .contains(Duration.ofMillis(7_400));
    assertThat(attributes.getFirst().overrideConfiguration().orElseThrow().apiCallTimeout())
        .contains(Duration.ofMillis(7_300));
  }

  @Test
  void withoutADeadlineTheReadsAreSentAsTheyAre() {
    BoundedReads.dynamo(dynamo, () -> null).query(q -> q.tableName("control"));

    assertThat(queries.getFirst().overrideConfiguration()).isEmpty();
  }
}
