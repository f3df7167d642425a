package offhours.results;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * @param settings the fingerprint of the model's settings the result was written under
 *     (offhours.inference.ModelContract#settingsFingerprint); null for a result written before offhours recorded
 *     it: its settings are unknown
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
    String scores,
    String settings) {

  /** What a result's settings are to the live ones: the one word the API and the CLI show. */
  public enum SettingsState {
    /** Written under the settings the stack runs with now. */
    CURRENT,
    /** Written under other settings of the model (labels, content type, accept or scores). */
    CHANGED,
    /** Written before results recorded their settings, or the live settings are not known. */
    UNKNOWN;

    /** The word shown: {@code current}, {@code changed} or {@code unknown}. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public enum Verdict {
    CLASSIFIED,
    REJECTED
  }

  /**
   * A class name and its probability. The score is checked here, where every result's labels pass: NaN or an infinity
   * would make the table's PutItem fail (DynamoDB has no such numbers), and the message would be retried toward the DLQ
   * for a fault of the code, not of the image.
   */
  public record Label(String label, double score) {
    public Label {
      Objects.requireNonNull(label, "label");
      if (!(score >= 0 && score <= 1)) {
        throw new IllegalArgumentException(
            "the score of '" + label + "' must be a probability in [0, 1], got " + score);
      }
    }
  }

  public ResultItem {
    Objects.requireNonNull(pk, "pk");
    Objects.requireNonNull(sk, "sk");
    Objects.requireNonNull(status, "status");
    // Stored as ResultItemFormat.TIME writes it: to the millisecond, so a result reads back equal.
    classifiedAt =
        Objects.requireNonNull(classifiedAt, "classifiedAt").truncatedTo(ChronoUnit.MILLIS);
    labels = labels == null ? List.of() : List.copyOf(labels);
    if (status == Verdict.REJECTED && (reason == null || reason.isBlank())) {
      throw new IllegalArgumentException("a REJECTED result needs a reason (" + pk + ")");
    }
    if (status == Verdict.CLASSIFIED && labels.isEmpty()) {
      throw new IllegalArgumentException(
          "a CLASSIFIED result needs at least one label (" + pk + ")");
    }
  }

  /** This result, recorded as written under the settings {@code fingerprint} names. */
  public ResultItem withSettings(String fingerprint) {
    return new ResultItem(
        pk,
        sk,
        bucket,
        key,
        versionId,
        eTag,
        sequencer,
        sizeBytes,
        status,
        reason,
        labels,
        topLabel,
        topScore,
        model,
        endpoint,
        uploadedAt,
        classifiedAt,
        attempts,
        scores,
        fingerprint);
  }

  /**
   * Whether this result was written under {@code live}, the fingerprint of the settings the stack runs with now (null
   * when not known).
   */
  public SettingsState settingsAgainst(String live) {
    if (settings == null || live == null) {
      return SettingsState.UNKNOWN;
    }
    return settings.equals(live) ? SettingsState.CURRENT : SettingsState.CHANGED;
  }

  /**
   * The word the API, the CLI and the page show for this result's settings against {@code live}: current, changed or
   * unknown for a CLASSIFIED result, null for a REJECTED one. Classify stamps its settings on a verdict too, but a
   * verdict is on the image (not an image, too large, refused by the model), which no change of labels, content
   * type, accept or scores makes stale, so it has no word to show.
   */
  public String settingsWord(String live) {
    return status == Verdict.CLASSIFIED ? settingsAgainst(live).word() : null;
  }

  /**
   * The object version a result is about, as its S3 event names it; its identity is the result's key.
   *
   * @param sizeBytes the object's size, null when unknown
   * @param uploadedAt the event's time, null when unknown
   */
  public record ObjectVersion(
      String bucket,
      String key,
      String versionId,
      String eTag,
      String sequencer,
      Long sizeBytes,
      Instant uploadedAt) {

    public ObjectVersion {
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(key, "key");
    }

    /** The partition key: "s3://bucket/key" with the decoded key, so users can look it up as they typed it. */
    public String pk() {
      return pkFor(bucket, key);
    }

    /**
     * The sort key: "v#versionId" when the bucket is versioned, else "e#eTag"; an event with neither (never sent by
     * S3) is keyed by its sequencer, "s#sequencer", so it is not lost.
     */
    public String sk() {
      return skFor(versionId, eTag, sequencer);
    }
  }

  /** {@link ObjectVersion#sk()} of a version known by its id or its ETag (a listing, a stored result). */
  public static String skFor(String versionId, String eTag) {
    if (isEmpty(versionId) && isEmpty(eTag)) {
      throw new IllegalArgumentException("an object version needs a versionId or an eTag");
    }
    return skFor(versionId, eTag, null);
  }

  /**
   * {@link ObjectVersion#sk()} of a version as S3's API names it (HeadObject, a listing), or null when it names
   * neither: an unversioned bucket's version is "null" there, while its notifications carry no versionId and its
   * results are keyed by the ETag, which the API quotes and a notification does not.
   */
  public static String skOfStored(String versionId, String quotedETag) {
    String version = "null".equals(versionId) ? null : versionId;
    String eTag = quotedETag == null ? null : quotedETag.replace("\"", "");
    return isEmpty(version) && isEmpty(eTag) ? null : skFor(version, eTag, null);
  }

  private static String skFor(String versionId, String eTag, String sequencer) {
    if (!isEmpty(versionId)) {
      return "v#" + versionId;
    }
    return isEmpty(eTag) ? "s#" + sequencer : "e#" + eTag;
  }

  /** A CLASSIFIED result: the top labels (best first) and how the model's numbers were read. */
  public static ResultItem classified(
      ObjectVersion object,
      List<Label> labels,
      String scores,
      String model,
      String endpoint,
      Instant classifiedAt,
      int attempts) {
    return ofObject(
        object, Verdict.CLASSIFIED, null, labels, scores, model, endpoint, classifiedAt, attempts);
  }

  /** A REJECTED result for an object version, with the reason. */
  public static ResultItem rejected(
      ObjectVersion object,
      String reason,
      String model,
      String endpoint,
      Instant classifiedAt,
      int attempts) {
    return ofObject(
        object, Verdict.REJECTED, reason, List.of(), null, model, endpoint, classifiedAt, attempts);
  }

  /** The result for an object version: its keys and object fields, the verdict, and the top of {@code labels}. */
  private static ResultItem ofObject(
      ObjectVersion object,
      Verdict verdict,
      String reason,
      List<Label> labels,
      String scores,
      String model,
      String endpoint,
      Instant classifiedAt,
      int attempts) {
    Label top = labels.isEmpty() ? null : labels.getFirst();
    return new ResultItem(
        object.pk(),
        object.sk(),
        object.bucket(),
        object.key(),
        object.versionId(),
        object.eTag(),
        object.sequencer(),
        object.sizeBytes(),
        verdict,
        reason,
        labels,
        top == null ? null : top.label(),
        top == null ? null : top.score(),
        model,
        endpoint,
        object.uploadedAt(),
        classifiedAt,
        attempts,
        scores,
        null); // settings: its caller adds them (withSettings) where they are known
  }

  /** The part of a message's result ({@link #rejectedMessage}) when the message is no S3 notification. */
  public static final String BODY_PART = "body";

  private static final String RECORD_PART = "record-";

  /** The part of a message's result ({@link #rejectedMessage}) when its record {@code index} names no object. */
  public static String recordPart(int index) {
    return RECORD_PART + index;
  }

  /**
   * A REJECTED result for a message that is no S3 notification, or a record of it that names no object: keyed
   * "sqs://queue/messageId" and "m#part" ({@link #BODY_PART}, {@link #recordPart}).
   */
  public static ResultItem rejectedMessage(
      String queue,
      String messageId,
      String part,
      String reason,
      String model,
      String endpoint,
      Instant classifiedAt,
      int attempts) {
    return new ResultItem(
        messagePk(queue, messageId),
        "m#" + part,
        null,
        null,
        null,
        null,
        null,
        null,
        Verdict.REJECTED,
        reason,
        List.of(),
        null,
        null,
        model,
        endpoint,
        null,
        classifiedAt,
        attempts,
        null,
        null);
  }

  /** The partition key of an object: the decoded key, so users can look it up as they typed it. */
  public static String pkFor(String bucket, String key) {
    return "s3://" + bucket + "/" + key;
  }

  /**
   * Whether this is the result of a record of an S3 notification that names no object the Classify function could act
   * on ({@link #rejectedMessage}'s "m#record-N": no versionId, eTag or sequencer, another bucket, ...; its reason says
   * which), where "m#body" is that of a message that was no S3 notification at all.
   */
  public boolean ofUnreadableRecord() {
    return sk.startsWith("m#" + RECORD_PART);
  }

  /** The partition key of a message's result: "sqs://queue/messageId". */
  public static String messagePk(String queue, String messageId) {
    return "sqs://" + queue + "/" + messageId;
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
