package offhours.local.model;

import java.util.Arrays;

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
