package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.FloatBuffer;
import offhours.local.model.ImagePreprocessor.Layout;
import offhours.local.model.ImagePreprocessor.Pixels;
import org.junit.jupiter.api.Test;

/**
 * The region {@link Resize#CROP} feeds the model, checked against torchvision's {@code Resize} and
 * {@code CenterCrop} worked by hand on images small enough to follow pixel by pixel.
 */
class CenterCropTest {
  /** 3 wide, 2 high, red 0,51,102 / 153,204,255. */
  private static final Pixels TINY = red(3, 2, 0, 51, 102, 153, 204, 255);

  private static final Preprocessing CROP =
      new Preprocessing(Normalization.UNIT_SCALE, Resize.CROP);

  @Test
  void anOddDifferenceIsCutAtTheEvenPixelAsCenterCropRoundsIt() {
    // 3 x 2 into 2 x 2: scaled as it is, and the 1 column over is left at int(round(0.5)) = 0,
    // so columns 0 and 1 (not 1 and 2, nor a half pixel between).
    assertThat(red(run(2, 2, CROP, TINY)))
        .containsExactly(new float[] {0f, 0.2f, 0.6f, 0.8f}, within(1e-6f));
    // 5 x 2 into 2 x 2: the 3 columns over are cut at int(round(1.5)) = 2, so columns 2 and 3.
    Pixels five = red(5, 2, 0, 10, 20, 30, 40, 50, 60, 70, 80, 90);
    assertThat(red(run(2, 2, CROP, five)))
        .containsExactly(new float[] {20 / 255f, 30 / 255f, 70 / 255f, 80 / 255f}, within(1e-6f));
    // 3 x 2 into 1 high x 3 wide: the width binds, 1 row over, cut at 0: row 0 whole.
    assertThat(red(run(1, 3, CROP, TINY)))
        .containsExactly(new float[] {0f, 0.2f, 0.4f}, within(1e-6f));
  }

  @Test
  void stretchTakesTheWholeImage() {
    // The same 3 x 2 into 2 x 2 stretched: the corners.
    assertThat(red(run(2, 2, Preprocessing.DEFAULT, TINY)))
        .containsExactly(new float[] {0f, 0.4f, 0.6f, 1f}, within(1e-6f));
  }

  @Test
  void theLongerSideScaledIsFlooredAsTorchvisionDoes() {
    // 5 x 3 into 4 x 4: the shorter side to 4, the longer to int(4 * 5 / 3) = 6 (not 7), 2 over,
    // cut at 1: columns 1 to 5 of 6, each 5/6 of the image's pixel.
    assertThat(region(CenterCrop.of(5, 3, 4, 4, 1)))
        .containsExactly(new double[] {5 / 6.0, 0, 4 * 5 / 6.0, 3}, within(1e-12));
    // A tall image: the same with rows and columns exchanged.
    assertThat(region(CenterCrop.of(3, 5, 4, 4, 1)))
        .containsExactly(new double[] {0, 5 / 6.0, 3, 4 * 5 / 6.0}, within(1e-12));
  }

  @Test
  void aNonSquareInputCoversItsHeightAndWidthBoth() {
    // 8 x 4 into 3 high x 2 wide, a portrait input from a landscape image: scaled to cover 3 x 2
    // it is 6 x 3 (the height binds), so 2 columns of 6 from column 2 and all 3 rows; in the
    // image's own pixels, from column 2 * 8/6, 2 * 8/6 wide, and all 4 rows.
    assertThat(region(CenterCrop.of(8, 4, 2, 3, 1)))
        .containsExactly(new double[] {2 * 8 / 6.0, 0, 2 * 8 / 6.0, 4}, within(1e-12));
  }

  @Test
  void aFractionCutsTheInputsSizeFromTheImageScaledToItsSideOverTheFraction() {
    // 8 x 4 into 2 x 2 at 0.5: the shorter side scaled to 2 / 0.5 = 4, which is the image as it
    // is; 2 of its 4 rows from row 1 and 2 of its 8 columns from column 3, exact pixels.
    int[] reds = new int[32];
    for (int i = 0; i < reds.length; i++) {
      reds[i] = 8 * i; // row y, column x: 8 * (8y + x)
    }
    assertThat(red(run(
            2, 2, new Preprocessing(Normalization.UNIT_SCALE, Resize.crop(0.5)), red(8, 4, reds))))
        .containsExactly(new float[] {88 / 255f, 96 / 255f, 152 / 255f, 160 / 255f}, within(1e-6f));
  }

  @Test
  void theInputsSideOverTheFractionIsFlooredAsTimmAndHuggingFaceDo() {
    // 4 x 4 into 2 x 2 at 0.75: int(2 / 0.75) = 2 (not 3), so the image scaled to 2 x 2 is cut
    // whole, and its corners are sampled.
    Pixels square =
        red(4, 4, 0, 16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240);
    assertThat(
            red(run(2, 2, new Preprocessing(Normalization.UNIT_SCALE, Resize.crop(0.75)), square)))
        .containsExactly(new float[] {0f, 48 / 255f, 192 / 255f, 240 / 255f}, within(1e-6f));
    // timm's 0.9 at 224: int(248.88...) = 248, 24 over, cut at 12.
    assertThat(region(CenterCrop.of(248, 248, 224, 224, 0.9)))
        .containsExactly(new double[] {12, 12, 224, 224}, within(1e-12));
  }

  @Test
  void torchvisionsImageNetEvaluationOfAPhotoIs224Of256() {
    // 640 x 480 at 0.875: Resize(256) makes it int(256 * 640 / 480) = 341 x 256, and
    // CenterCrop(224) cuts from column int(round(58.5)) = 58 and row 16; in the photo's pixels,
    // 480 / 256 = 1.875 of them to each scaled row and 640 / 341 to each column.
    assertThat(region(CenterCrop.of(640, 480, 224, 224, 0.875)))
        .containsExactly(new double[] {58 * 640 / 341.0, 30, 224 * 640 / 341.0, 420}, within(1e-9));
  }

  @Test
  void aCropOfLessThanAPixelStaysWithinTheImage() {
    // One pixel into 2 high x 16 wide: the crop is 1/8 of its height, sampled at 2 rows.
    assertThat(run(2, 16, CROP, red(1, 1, 102))).containsOnly(0.4f, 0.6f, 7 / 255f);
  }

  private static double[] region(CenterCrop crop) {
    return new double[] {crop.left(), crop.top(), crop.width(), crop.height()};
  }

  private static float[] run(int height, int width, Preprocessing preprocessing, Pixels pixels) {
    var p = new ImagePreprocessor(Layout.NHWC, height, width, preprocessing);
    FloatBuffer out = FloatBuffer.allocate(p.tensorSize());
    p.resize(pixels, out);
    return out.array();
  }

  /** The red channel of an NHWC tensor. */
  private static float[] red(float[] nhwc) {
    float[] r = new float[nhwc.length / 3];
    for (int i = 0; i < r.length; i++) {
      r[i] = nhwc[i * 3];
    }
    return r;
  }

  /** An image of these reds, row by row; green is 255 - red, blue 7. */
  private static Pixels red(int width, int height, int... red) {
    byte[] rgb = new byte[width * height * 3];
    for (int i = 0; i < red.length; i++) {
      rgb[3 * i] = (byte) red[i];
      rgb[3 * i + 1] = (byte) (255 - red[i]);
      rgb[3 * i + 2] = 7;
    }
    return new Pixels(width, height, rgb);
  }
}
