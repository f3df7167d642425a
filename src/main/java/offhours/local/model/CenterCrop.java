package offhours.local.model;

/**
 * The part of an image that {@link Resize#CROP} feeds the model, found as torchvision's evaluation transform finds
 * it, {@code Resize(size / fraction)} and then {@code CenterCrop(size)}: the image is scaled, keeping its aspect
 * ratio, so that it covers the input's height and width divided by the fraction, each floored (timm's and Hugging
 * Face's {@code int(size / crop_pct)}); the side that binds gets that size exactly and the other is floored
 * (torchvision's {@code int(size * long / short)}); and the input's size is cut from the middle at whole pixels of the
 * scaled image, each offset {@code (scaled - size) / 2} rounded half to even as CenterCrop's
 * {@code int(round((h - ch) / 2.0))} rounds in Python 3 (so 0.5 is 0, 1.5 is 2). For a square input that is
 * torchvision's shorter side scaled to {@code size / fraction}. The region is given in the image's own pixels, for
 * the resize to sample it, so no scaled image is ever made; {@link Resample#ANTIALIAS} reads each axis's
 * {@link AxisCut}, as Pillow resizes the whole image to the scaled size before the cut.
 *
 * @param columns how the image's columns are scaled and cut
 * @param rows how its rows are
 */
record CenterCrop(AxisCut columns, AxisCut rows) {
  /**
   * One axis: the image's {@code image} pixels scaled to {@code scaled}, of which {@code size} are cut from
   * {@code offset} on (whole pixels of the scaled image).
   */
  record AxisCut(int image, double scaled, double offset, int size) {
    /** The image's pixels per scaled pixel: Pillow's scale. */
    double scale() {
      return image / scaled;
    }

    /** The cut's first pixel in the image's (a fraction of a pixel where the scale is not whole). */
    double from() {
      return offset * scale();
    }

    /** The cut's length in the image's pixels. */
    double used() {
      return size * scale();
    }
  }

  /**
   * The scaled side is held at this: a fraction so small that it passes it already cuts a region of well under a
   * pixel from any image, and the arithmetic stays within a double's exact integers.
   */
  private static final double MAX_SCALED = 1L << 40;

  /**
   * The region of an image of {@code imageWidth} x {@code imageHeight} pixels cut for an input of {@code width} x
   * {@code height} at {@code fraction} (above 0, at most 1).
   */
  static CenterCrop of(int imageWidth, int imageHeight, int width, int height, double fraction) {
    double targetHeight = Math.min(MAX_SCALED, Math.floor(height / fraction));
    double targetWidth = Math.min(MAX_SCALED, Math.floor(width / fraction));
    double scaledHeight, scaledWidth;
    if (targetHeight * imageWidth >= targetWidth * imageHeight) {
      scaledHeight = targetHeight;
      scaledWidth = Math.floor(targetHeight * imageWidth / imageHeight);
    } else {
      scaledWidth = targetWidth;
      scaledHeight = Math.floor(targetWidth * imageHeight / imageWidth);
    }
    return new CenterCrop(
        new AxisCut(imageWidth, scaledWidth, Math.rint((scaledWidth - width) / 2), width),
        new AxisCut(imageHeight, scaledHeight, Math.rint((scaledHeight - height) / 2), height));
  }

  /** The whole image of {@code imageWidth} x {@code imageHeight} pixels scaled to {@code width} x {@code height}. */
  static CenterCrop stretch(int imageWidth, int imageHeight, int width, int height) {
    return new CenterCrop(
        new AxisCut(imageWidth, width, 0, width), new AxisCut(imageHeight, height, 0, height));
  }

  /** The region's first column in the image (a fraction of a pixel where the scale is not whole). */
  double left() {
    return columns.from();
  }

  /** The region's first row in the image. */
  double top() {
    return rows.from();
  }

  /** The region's width in the image's pixels. */
  double width() {
    return columns.used();
  }

  /** The region's height in the image's pixels. */
  double height() {
    return rows.used();
  }
}
