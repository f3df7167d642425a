package offhours.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import offhours.units.Plurals;

/**
 * What to do about a REJECTED result, by the kind of its reason: the one place these words are. {@code offhours
 * results} and {@code demo} end a table with REJECTED rows with one line per kind it shows ({@link #lines}); README's
 * "Operating it" lists each kind with the same words, as {@link #line} writes them (RejectionHintTest holds the two
 * together). The stored reason stays as Classify wrote it: a kind is read from its words (Classify's own, or the model
 * server's 400 that the reason quotes), the object's own s3:// name taken out first, so that a key such as {@code
 * truncated.jpg} does not decide it. The first kind whose words a reason holds is its kind; a reason of none has no
 * hint.
 */
enum RejectionHint {
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
  private final String hint;
  private final List<String> words;

  RejectionHint(String kind, String hint, String... words) {
    this.kind = kind;
    this.hint = hint;
    this.words = List.of(words);
  }

  /** The words, in lower case, that make a reason this kind. */
  List<String> words() {
    return words;
  }

  /** The line {@code results} prints and README lists: "too large: shrink it ...". */
  String line() {
    return kind + ": " + hint;
  }

  /**
   * The kind of a REJECTED result's {@code reason}; {@code id} is its s3:// name (taken out of the reason first), and a
   * result without an object {@code key} is {@link #NOT_AN_UPLOAD}. Empty for a reason of no known kind.
   */
  static Optional<RejectionHint> of(String key, String id, String reason) {
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
   * One line per kind of the REJECTED {@code rows}, in the order the kinds first appear, each with how many rows are
   * of it: "what to do (2 results), too large: shrink it ...".
   */
  static List<String> lines(List<ResultRow> rows) {
    Map<RejectionHint, Integer> counts = new LinkedHashMap<>();
    for (ResultRow row : rows) {
      if ("REJECTED".equals(row.status())) {
        of(row.key(), row.id(), row.reason()).ifPresent(h -> counts.merge(h, 1, Integer::sum));
      }
    }
    List<String> lines = new ArrayList<>();
    counts.forEach(
        (h, n) -> lines.add("what to do (" + Plurals.of(n, "result") + "), " + h.line()));
    return lines;
  }
}
