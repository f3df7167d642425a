package offhours.local.model;

/**
 * The part of an image that {@link Resize#CROP} feeds the model, found as torchvision's evaluation transform finds
 * it, {@code Resize(size / fraction)} and then {@code CenterCrop(size)}: the image is scaled, keeping its aspect
 * ratio, so that it covers the input's height and width divided by the fraction, each floored (timm's and Hugging
 * Face's {@code int(size / crop_pct)}); the side that binds gets that size exactly and the other is floored
 * (torchvision's {@code int(size * long / short)}); and the input's size is cut from the middle at whole pixels of the
 * scaled image, each offset {@code (scaled - size) / 2} rounded half to even as CenterCrop's
 * {@code int(round((h - ch) / 2.0))} rounds in Python 3 (so 0.5 is 0, 1.5 is 2). For a square input that is
 * torchvision's shorter side scaled to {@code size / fraction}. The region is returned in the image's own pixels, for
 * the resize to sample it, so no scaled image is ever made.
 *
 * @param left the region's first column in the image (a fraction of a pixel where the scale is not whole)
 * @param top its first row
 * @param width its width in the image's pixels
 * @param height its height
 */
record CenterCrop(double left, double top, double width, double height) {
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
    double perRow = imageHeight / scaledHeight, perColumn = imageWidth / scaledWidth;
    return new CenterCrop(
        Math.rint((scaledWidth - width) / 2) * perColumn,
        Math.rint((scaledHeight - height) / 2) * perRow,
        width * perColumn,
        height * perRow);
  }
}
