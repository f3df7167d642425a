package offhours.local.model;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import offhours.units.Decimals;
import offhours.units.Shown;

/**
 * How pixel values reach the model after resizing: each channel becomes (v / 255 - mean) / std, RGB order.
 * {@link #UNIT_SCALE} (mean 0, std 1) is what nsfwjs and the default model expect; {@link #IMAGENET} is the
 * torchvision convention many exported ONNX classifiers expect.
 */
public record Normalization(float[] mean, float[] std) {
  public static final Normalization UNIT_SCALE =
      new Normalization(new float[] {0, 0, 0}, new float[] {1, 1, 1});
  public static final Normalization IMAGENET =
      new Normalization(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

  /** The setting's spellings, for the messages that refuse another. */
  public static final String FORMS =
      "imagenet, unit, or MEAN/STD of three numbers each (0.5,0.5,0.5/0.5,0.5,0.5)";

  public Normalization {
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException(
          "mean and std need one value per RGB channel, got " + mean.length + " and " + std.length);
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException(
            "std values must be positive, got " + Arrays.toString(std));
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  /**
   * Reads the NORMALIZE setting: {@code imagenet} ({@link #IMAGENET}), {@code unit} ({@link #UNIT_SCALE}), or
   * {@code M,M,M/S,S,S}: the mean and the standard deviation of R, G and B, each a number of {@link Decimals}' form,
   * every std above 0. {@code name} is the setting's name, which begins each message of refusal.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Normalization parse(String text, String name) {
    String word = text.strip().toLowerCase(Locale.ROOT);
    if (word.equals("imagenet")) {
      return IMAGENET;
    }
    if (word.equals("unit")) {
      return UNIT_SCALE;
    }
    String[] halves = text.split("/", -1);
    if (halves.length != 2) {
      throw new IllegalArgumentException(
          name + " must be " + FORMS + ", got '" + Shown.value(text) + "'");
    }
    float[] mean = three(halves[0], "mean", name, text);
    float[] std = three(halves[1], "std", name, text);
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException(
            name + " needs each std above 0 (it divides), got '" + Shown.value(text) + "'");
      }
    }
    return new Normalization(mean, std);
  }

  private static float[] three(String part, String what, String name, String text) {
    String[] numbers = part.split(",", -1);
    if (numbers.length != 3) {
      throw new IllegalArgumentException(name + " needs three comma-separated numbers for the "
          + what + " (R,G,B), got " + numbers.length + " in '" + Shown.value(text) + "'");
    }
    float[] values = new float[3];
    for (int i = 0; i < 3; i++) {
      try {
        values[i] = (float) Decimals.parse(numbers[i].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " needs numbers in " + Decimals.FORM + " for the "
            + what + ", got '" + Shown.value(numbers[i]) + "' in '" + Shown.value(text) + "'");
      }
    }
    return values;
  }

  /** How {@link #parse} reads this back: {@code imagenet}, {@code unit}, or {@code M,M,M/S,S,S}. */
  public String spelling() {
    if (equals(IMAGENET)) {
      return "imagenet";
    }
    if (equals(UNIT_SCALE)) {
      return "unit";
    }
    return joined(mean) + "/" + joined(std);
  }

  private static String joined(float[] values) {
    StringBuilder sb = new StringBuilder();
    for (float v : values) {
      sb.append(sb.isEmpty() ? "" : ",")
          .append(new BigDecimal(Float.toString(v)).stripTrailingZeros().toPlainString());
    }
    return sb.toString();
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  boolean isIdentity() {
    return Arrays.equals(mean, new float[] {0, 0, 0}) && Arrays.equals(std, new float[] {1, 1, 1});
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
