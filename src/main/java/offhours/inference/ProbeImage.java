package offhours.inference;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * offhours' own small PNG that any image-classification model reads: the controller's readiness probe sends it before
 * it enables the trigger, and the consumer and POST /classify send it ({@link #send}) to check a model's claim that it
 * could not read an image (a 4xx, {@link InvocationErrors.Cause#UNREADABLE}): a model that reads the probe image works,
 * so the image is at fault; one that fails on it too is broken, and the image is not to blame.
 */
public final class ProbeImage {

  private static final byte[] BYTES = load();

  private ProbeImage() {}

  /** A fresh copy of the image (the SDK may keep the array it is handed). */
  public static byte[] bytes() {
    return BYTES.clone();
  }

  /**
   * What became of sending the probe image.
   *
   * @param failure null if the model answered it (any answer, one that does not fit the model's settings included:
   *     the model read the image), else why not, as a clause to follow the reason of the 4xx it checks
   * @param throttled whether the endpoint only turned the probe away as busy (a throttle): then nothing says the
   *     endpoint is broken, and the deferral it causes is not counted
   */
  public record Check(String failure, boolean throttled) {

    /** A clause to follow the reason of a 4xx the probe image was answered after. */
    public static final String READ = "it read offhours' probe image meanwhile";

    public boolean read() {
      return failure == null;
    }
  }

  /**
   * Sends the probe image to the model; the whole call ends within {@code timeout} (none if null), and what a
   * serverless endpoint bills for it is added to {@code usage}.
   */
  public static Check send(InferenceClient inference, Duration timeout, InvocationUsage usage) {
    InferenceClient.RawAnswer reply;
    try {
      reply = inference.send(bytes(), timeout, usage);
    } catch (SdkException e) {
      InvocationErrors.Failure failure = InvocationErrors.of(e);
      return new Check(
          "it failed on offhours' probe image too: " + failure.reason(),
          failure.cause() == InvocationErrors.Cause.THROTTLED);
    }
    try {
      inference.read(reply);
    } catch (ContractViolation e) {
      // any answer counts: the model read the image
    }
    return new Check(null, false);
  }

  private static byte[] load() {
    try (InputStream in = ProbeImage.class.getResourceAsStream("probe.png")) {
      if (in == null) {
        throw new IllegalStateException(
            "offhours/inference/probe.png is missing from the function's artifact");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
