package offhours.local.model;

import java.util.Locale;
import offhours.units.Shown;

/**
 * How an image is brought to the model's input height and width (the RESIZE setting). {@link #STRETCH}, the
 * default, is what nsfwjs does: the whole image, its aspect ratio lost. {@link #CROP} keeps the aspect ratio as
 * torchvision's and timm's evaluation transforms do: the shorter side is scaled to the input's and the middle is cut
 * out at whole pixels as {@link CenterCrop} says (the whole input, not torchvision's 224 of 256: the model sees a
 * little more of the image's edges).
 */
public enum Resize {
  STRETCH,
  CROP;

  /** The setting's own word: {@code stretch} or {@code crop}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads {@code stretch} or {@code crop} (any case); {@code name} is the setting's, which begins a refusal.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Resize parse(String text, String name) {
    for (Resize r : values()) {
      if (r.value().equals(text.strip().toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        name + " must be stretch or crop, got '" + Shown.value(text) + "'");
  }
}
