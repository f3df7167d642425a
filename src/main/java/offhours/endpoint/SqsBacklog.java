package offhours.endpoint;

import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** {@link Backlog} from GetQueueAttributes on the queue and (if configured) the DLQ. */
public final class SqsBacklog implements Backlog {
  private final SqsClient sqs;
  private final String queueUrl;
  private final String dlqUrl;

  /** {@code dlqUrl} may be null or empty: the DLQ count is then 0. */
  public SqsBacklog(SqsClient sqs, String queueUrl, String dlqUrl) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    this.dlqUrl = dlqUrl == null ? "" : dlqUrl;
  }

  @Override
  public Snapshot read() {
    Map<QueueAttributeName, String> q = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
            .attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
        .attributes();
    long dead = dlqUrl.isEmpty()
        ? 0
        : count(
            sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes(),
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
    return new Snapshot(
        count(q, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
        count(q, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
        count(q, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED),
        dead);
  }

  private static long count(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
    String value = attributes.get(name);
    return value == null ? 0 : Long.parseLong(value);
  }
}
