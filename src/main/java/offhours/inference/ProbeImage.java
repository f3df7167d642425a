package offhours.inference;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * offhours' own small PNG that any image-classification model reads: the controller's readiness probe sends it before
 * it enables the trigger, and the consumer sends it to check a model's claim that it could not read an image.
 */
public final class ProbeImage {

  private static final byte[] BYTES = load();

  private ProbeImage() {}

  /** A fresh copy of the image (the SDK may keep the array it is handed). */
  public static byte[] bytes() {
    return BYTES.clone();
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
