package offhours.ui;

import java.util.Objects;
import java.util.Optional;
import offhours.stack.StackSpec;
import offhours.units.Sizes;

/**
 * What the page's server refuses of an upload before storing it, in the one place both POST /api/upload and
 * GET /api/upload/check ask: the page shows, for a file it does not send, the words the POST would have answered.
 *
 * <p>The checks run in one order, the one that tells the person first what they must change first: the name
 * ({@link Requests#newKey}, 400), as nothing else can be said of a key S3 or this page will not take, and a new name
 * may also change the type; then the type (415), a key the bucket sends no notification for, since shrinking a .gif
 * would only have it refused again for its type; then the size (413), the one thing left to fix. Fixing what a
 * refusal says never uncovers a refusal that could have come before it.
 *
 * <p>The size limit is the stack's, so these rules are part of the page's settings ({@link AwsUiData.PageSettings}):
 * read again with them, and asked for by each request, so a redeploy that changes the limit changes what the server
 * refuses and what GET /api/status tells the page without a restart of the page.
 */
public final class UploadRules {

  /** A refusal: the HTTP status the POST answers with and the words the page shows. */
  record UploadRefusal(int status, String message) {}

  private final int maxBytes;
  private final Optional<String> assumption;

  /**
   * Refuses files over {@code maxBytes}, the stack's Classify limit (its MAX_IMAGE_BYTES, the one 'offhours upload'
   * notes a file over): a bigger file would only be stored to be REJECTED. {@code assumption} says why that limit is
   * assumed rather than the stack's own, with each refusal by it; empty when it is the stack's.
   */
  public UploadRules(long maxBytes, Optional<String> assumption) {
    if (maxBytes < 1 || maxBytes >= Integer.MAX_VALUE) {
      // An upload is read whole, into one array: no stack's limit comes near that.
      throw new IllegalArgumentException(
          "the upload limit must be 1 to " + (Integer.MAX_VALUE - 1) + " bytes, got " + maxBytes);
    }
    this.maxBytes = (int) maxBytes;
    this.assumption = Objects.requireNonNull(assumption, "assumption");
  }

  /** The largest file taken, in bytes. */
  public int maxBytes() {
    return maxBytes;
  }

  /** Why the limit is assumed rather than the stack's own; empty when it is the stack's. */
  public Optional<String> assumption() {
    return assumption;
  }

  /** The refusal of {@code key} by its name, then its type: all the POST can say before it reads the file. */
  Optional<UploadRefusal> ofName(String key) {
    String checked;
    try {
      checked = Requests.newKey(key);
    } catch (IllegalArgumentException e) {
      return Optional.of(new UploadRefusal(400, e.getMessage()));
    }
    if (!StackSpec.NOTIFICATION.matches(checked)) {
      // As 'offhours upload' refuses it: the bucket would send no notification, so no result would
      // ever come.
      return Optional.of(new UploadRefusal(
          415, checked + " would never get a result: " + StackSpec.CLASSIFIED_KEYS));
    }
    return Optional.empty();
  }

  /** The refusal of a file of {@code bytes} named {@code key}: by its name and type, then by its size. */
  Optional<UploadRefusal> of(String key, long bytes) {
    return ofName(key)
        .or(() -> bytes > maxBytes ? Optional.of(tooLarge(key, bytes)) : Optional.empty());
  }

  /** The refusal of a file of {@code bytes} over {@link #maxBytes} named {@code key}, in the words of its verdict's. */
  UploadRefusal tooLarge(String key, long bytes) {
    return shrink(key + " " + Sizes.overLimit(bytes, maxBytes));
  }

  /**
   * The refusal of a file named {@code key} known to be over {@link #maxBytes} but not by how much: one sent in
   * chunks, refused once a byte over the limit came, without waiting for the rest that would tell its size.
   */
  UploadRefusal tooLarge(String key) {
    return shrink(key + " is over " + Sizes.format(maxBytes) + ", the most the endpoint accepts");
  }

  /** A 413 saying {@code what} is too large, then how to make it fit, and why the limit is assumed when it is. */
  private UploadRefusal shrink(String what) {
    return new UploadRefusal(
        413,
        what + ": " + Sizes.SHRINK + " and upload it again"
            + assumption.map(why -> " (" + why + ")").orElse(""));
  }
}
