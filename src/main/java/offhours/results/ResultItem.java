package offhours.results;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One result: the verdict on one object version (or, for a message that was not an S3 notification,
 * on that message). Optional attributes are {@code null} when absent.
 *
 * @param pk "s3://bucket/key" with the decoded key, or "sqs://queue/messageId" for a malformed message
 * @param sk the object version identity: "v#versionId", else "e#eTag"
 * @param model the model that answered: the production variant InvokeEndpoint names (offhours names each variant
 *     after its model), else the stack's model
 * @param attempts SQS receives plus deferrals of the message that produced this result
 * @param scores how the model's numbers were read: "probabilities", or "logits" when offhours applied a softmax;
 *     null for a REJECTED result
 */
public record ResultItem(
    String pk,
    String sk,
    String bucket,
    String key,
    String versionId,
    String eTag,
    String sequencer,
    Long sizeBytes,
    Verdict status,
    String reason,
    List<Label> labels,
    String topLabel,
    Double topScore,
    String model,
    String endpoint,
    Instant uploadedAt,
    Instant classifiedAt,
    int attempts,
    String scores) {

  public enum Verdict { CLASSIFIED, REJECTED }

  /** A class name and its probability. */
  public record Label(String label, double score) {
    public Label {
      Objects.requireNonNull(label, "label");
    }
  }

  public ResultItem {
    Objects.requireNonNull(pk, "pk");
    Objects.requireNonNull(sk, "sk");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(classifiedAt, "classifiedAt");
    labels = labels == null ? List.of() : List.copyOf(labels);
    if (status == Verdict.REJECTED && (reason == null || reason.isBlank())) {
      throw new IllegalArgumentException("a REJECTED result needs a reason (" + pk + ")");
    }
    if (status == Verdict.CLASSIFIED && labels.isEmpty()) {
      throw new IllegalArgumentException("a CLASSIFIED result needs at least one label (" + pk + ")");
    }
  }

  /** The partition key of an object: the decoded key, so users can look it up as they typed it. */
  public static String pkFor(String bucket, String key) {
    return "s3://" + bucket + "/" + key;
  }

  /** The sort key of an object version: its version id when the bucket is versioned, else its ETag. */
  public static String skFor(String versionId, String eTag) {
    if (versionId != null && !versionId.isEmpty()) {
      return "v#" + versionId;
    }
    if (eTag == null || eTag.isEmpty()) {
      throw new IllegalArgumentException("an object version needs a versionId or an eTag");
    }
    return "e#" + eTag;
  }
}
