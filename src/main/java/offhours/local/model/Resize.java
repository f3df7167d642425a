package offhours.local.model;

import java.util.Locale;
import offhours.units.Decimals;
import offhours.units.Shown;

/**
 * How an image is brought to the model's input height and width (the RESIZE setting). {@link #STRETCH}, the
 * default, is what nsfwjs does: the whole image, its aspect ratio lost. A crop keeps the aspect ratio as
 * torchvision's and timm's evaluation transforms do: the image is scaled so that its shorter side is the input's
 * divided by the {@code fraction} and the input's size is cut from the middle, as {@link CenterCrop} says; at 0.875,
 * torchvision's classic ImageNet evaluation, 224 of 256. {@link #CROP}, a fraction of 1, cuts all of the scaled
 * image's shorter side.
 *
 * @param crop whether the image is cropped (else stretched)
 * @param fraction of the scaled image's shorter side cut, above 0 and at most 1; 1 for a stretch
 */
public record Resize(boolean crop, double fraction) {
  public static final Resize STRETCH = new Resize(false, 1);
  public static final Resize CROP = new Resize(true, 1);

  /** The setting's forms, for the messages that refuse another. */
  public static final String FORMS =
      "stretch, crop or crop:FRACTION, the fraction of the scaled image cut, above 0 and at most 1 (as crop:0.875)";

  private static final String CROP_PREFIX = "crop:";

  public Resize {
    if (!(fraction > 0 && fraction <= 1) || (!crop && fraction != 1)) {
      throw new IllegalArgumentException(
          "a crop fraction is above 0 and at most 1, got " + fraction);
    }
  }

  /** A crop of {@code fraction} of the scaled image, above 0 and at most 1. */
  public static Resize crop(double fraction) {
    return new Resize(true, fraction);
  }

  /**
   * The setting's one spelling, which {@link #parse} reads back: {@code stretch}, {@code crop} (a fraction of 1) or
   * {@code crop:0.875}, the fraction in plain digits without trailing zeros.
   */
  public String value() {
    if (!crop) {
      return "stretch";
    }
    return fraction == 1 ? "crop" : CROP_PREFIX + Decimals.plain(fraction);
  }

  /**
   * Reads {@code stretch}, {@code crop} or {@code crop:FRACTION} (any case), the fraction in {@link Decimals}' form
   * above 0 and at most 1; {@code name} is the setting's, which begins a refusal.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Resize parse(String text, String name) {
    String word = text.strip().toLowerCase(Locale.ROOT);
    if (word.equals(STRETCH.value())) {
      return STRETCH;
    }
    if (word.equals(CROP.value())) {
      return CROP;
    }
    if (!word.startsWith(CROP_PREFIX)) {
      throw new IllegalArgumentException(
          name + " must be " + FORMS + ", got '" + Shown.value(text) + "'");
    }
    double fraction;
    try {
      fraction = Decimals.parse(word.substring(CROP_PREFIX.length()));
    } catch (NumberFormatException e) {
      fraction = Double.NaN;
    }
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException(name
          + " needs a crop fraction above 0 and at most 1, in digits 0-9 with at most one '.' as"
          + " crop:0.875, got '" + Shown.value(text) + "'");
    }
    return crop(fraction);
  }
}
