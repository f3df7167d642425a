package offhours.testing;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * An SQS client for the reads of a forecast: GetQueueAttributes answers {@link #attributes} (none by default: an empty
 * queue) or throws {@link #failWith}, and each request is added to the list given, as sent (its override configuration
 * included). Every other call fails, as SqsClient's defaults do.
 */
public final class QueueAttributesSqs implements SqsClient {

  private final List<? super GetQueueAttributesRequest> reads;

  /** What every GetQueueAttributes answers, whatever it asked for. */
  public Map<QueueAttributeName, String> attributes = Map.of();

  /** Thrown by every GetQueueAttributes when set. */
  public RuntimeException failWith;

  public QueueAttributesSqs(List<? super GetQueueAttributesRequest> reads) {
    this.reads = reads;
  }

  @Override
  public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
    reads.add(request);
    if (failWith != null) {
      throw failWith;
    }
    return GetQueueAttributesResponse.builder().attributes(attributes).build();
  }

  @Override
  public String serviceName() {
    return "sqs";
  }

  @Override
  public void close() {}
}
