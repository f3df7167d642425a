package offhours.results;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What to do about a REJECTED result, by the kind of its reason: the one place these words are. {@code offhours
 * results} and {@code demo} end a table with REJECTED rows with one line per kind it shows (cli's RejectionLines), the
 * page of {@code offhours ui} shows a rejected card's {@link #kind} and {@link #todo}; README's "Operating it" lists
 * each kind with the same words, as {@link #line} writes them (RejectionHintTest holds the two together). The stored
 * reason stays as Classify wrote it: a kind is read from its words (Classify's own, or the model server's 400 that the
 * reason quotes), the object's own s3:// name taken out first, so that a key such as {@code truncated.jpg} does not
 * decide it. The first kind whose words a reason holds is its kind; a reason of none has no hint.
 */
public enum RejectionHint {
  /** A message that was no S3 notification of the stack's bucket: its result has no object key. */
  NOT_AN_UPLOAD(
      "not an upload",
      "no object to send again; find what sends the queue messages other than the bucket's notifications"),
  GONE(
      "deleted or replaced",
      "nothing to do: the object was deleted, or its newer version has its own result",
      "no longer exists",
      "was overwritten before it could be classified"),
  ARCHIVED(
      "archived",
      "restore it from its archive, then reprocess it with --key",
      "is archived in storage class"),
  ENCRYPTED(
      "encrypted",
      "upload it again without its own key, or let the Classify role use the KMS key; then reprocess it",
      "is encrypted with"),
  MODEL_FAILED(
      "the model failed on it",
      "re-encode it (another size or format) and upload it again under the same key",
      "the model failed on this image"),
  TOO_LARGE(
      "too large",
      "shrink it below the limit (fewer pixels, more compression) and upload it again under the same key",
      "the endpoint accepts at most",
      "refused the image as too large",
      "megapixels",
      "pixels is more than"),
  CUT_SHORT(
      "cut short or damaged",
      "upload the whole file again under the same key",
      "ends early",
      "truncated",
      "corrupt",
      "is empty (0 bytes)",
      "body is empty"),
  NOT_JPEG_OR_PNG(
      "not JPEG or PNG",
      "convert it to JPEG or PNG and upload it again under the same key",
      "unsupported format:",
      "not a jpeg or png"),
  UNREADABLE(
      "unreadable to the model",
      "check it opens as an image; save it again as JPEG or PNG and upload it under the same key",
      "the model could not read the image");

  private final String kind;
  private final String todo;
  private final List<String> words;

  RejectionHint(String kind, String todo, String... words) {
    this.kind = kind;
    this.todo = todo;
    this.words = List.of(words);
  }

  /** The kind in words: "too large". */
  public String kind() {
    return kind;
  }

  /** What to do about a result of this kind: "shrink it below the limit ...". */
  public String todo() {
    return todo;
  }

  /** The words, in lower case, that make a reason this kind. */
  public List<String> words() {
    return words;
  }

  /** The line {@code results} prints and README lists: "too large: shrink it ...". */
  public String line() {
    return kind + ": " + todo;
  }

  /**
   * The kind of a REJECTED result's {@code reason}; {@code id} is its s3:// name (taken out of the reason first), and a
   * result without an object {@code key} is {@link #NOT_AN_UPLOAD}. Empty for a reason of no known kind.
   */
  public static Optional<RejectionHint> of(String key, String id, String reason) {
    if (key == null) {
      return Optional.of(NOT_AN_UPLOAD);
    }
    if (reason == null) {
      return Optional.empty();
    }
    String words = (id == null ? reason : reason.replace(id, "")).toLowerCase(Locale.ROOT);
    for (RejectionHint hint : values()) {
      if (hint.words.stream().anyMatch(words::contains)) {
        return Optional.of(hint);
      }
    }
    return Optional.empty();
  }

  /**
   * The kind of {@code result}'s reason; empty for a result that is not REJECTED or whose reason is of no known
   * kind.
   */
  public static Optional<RejectionHint> of(ResultItem result) {
    return result.status() == ResultItem.Verdict.REJECTED
        ? of(result.key(), result.pk(), result.reason())
        : Optional.empty();
  }
}
