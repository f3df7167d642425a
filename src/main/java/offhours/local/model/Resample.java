package offhours.local.model;

import java.util.Locale;
import offhours.units.Shown;

/**
 * How the pixels of the model's input are computed from the image's (the RESAMPLE setting). {@link #BILINEAR}, the
 * default, is TF.js' {@code resizeBilinear} with aligned corners, as nsfwjs was evaluated: each input pixel blends the
 * four image pixels nearest its sample point, so a large photo shrunk to 224 pixels skips most of its pixels (it
 * aliases). {@link #ANTIALIAS} is Pillow's BILINEAR resize, which torchvision's {@code Resize} on a PIL image and
 * Hugging Face's image processors use: a triangle filter as wide as the shrink, so every image pixel under it counts,
 * with the 8-bit rounding between and after its two passes that Pillow makes ({@link AntialiasResampler}).
 */
public enum Resample {
  BILINEAR("bilinear"),
  ANTIALIAS("antialias");

  /** The setting's spellings, for the messages that refuse another. */
  public static final String FORMS =
      "bilinear (TF.js' resizeBilinear, as nsfwjs) or antialias (Pillow's BILINEAR, as torchvision and Hugging Face)";

  private final String value;

  Resample(String value) {
    this.value = value;
  }

  /** The setting's one spelling, which {@link #parse} reads back. */
  public String value() {
    return value;
  }

  /**
   * Reads {@code bilinear} or {@code antialias} (any case, blanks around ignored); {@code name} is the setting's,
   * which begins a refusal.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Resample parse(String text, String name) {
    String word = text.strip().toLowerCase(Locale.ROOT);
    for (Resample r : values()) {
      if (r.value.equals(word)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        name + " must be " + FORMS + ", got '" + Shown.value(text) + "'");
  }
}
