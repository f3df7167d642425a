package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.FloatBuffer;
import offhours.local.model.AntialiasResampler.Taps;
import offhours.local.model.CenterCrop.AxisCut;
import offhours.local.model.ImagePreprocessor.Layout;
import offhours.local.model.ImagePreprocessor.Pixels;
import org.junit.jupiter.api.Test;

/**
 * {@link Resample#ANTIALIAS} worked by hand from Pillow's definition. An output pixel {@code i} of a cut scaled by
 * {@code scale} (image pixels per output pixel) is centred at {@code c = (offset + i + 0.5) * scale} in the image's
 * edge coordinates (image pixel {@code x} is centred at {@code x + 0.5}); with {@code s = max(1, scale)} it reads the
 * pixels from {@code (int) (c - s + 0.5)} to before {@code (int) (c + s + 0.5)}, within the image, each weighted
 * {@code 1 - |x + 0.5 - c| / s} and the weights divided by their sum. Pixels are 8-bit after each pass, rounded half
 * up, so a result of {@code n.25} is {@code n} and {@code n.75} is {@code n + 1}.
 */
class AntialiasResamplerTest {
  private static final Preprocessing ANTIALIAS =
      new Preprocessing(Normalization.UNIT_SCALE, Resize.STRETCH, Resample.ANTIALIAS);

  @Test
  void aRowOfFourShrunkToTwoAveragesThreePixelsEach() {
    // scale 2, s = 2. Output 0: c = 1, pixels 0..2 at distances 0.5, 0.5, 1.5: weights 0.75, 0.75,
    // 0.25 = 3/7, 3/7, 1/7: (3 * 0 + 3 * 70 + 140) / 7 = 50. Output 1: c = 3, pixels 1..3 at 1.5,
    // 0.5, 0.5: (70 + 3 * 140 + 3 * 210) / 7 = 160. Plain bilinear (aligned corners) reads columns
    // 0 and 3 only: 0 and 210.
    assertThat(reds(run(1, 2, ANTIALIAS, row(0, 70, 140, 210)))).containsExactly(50, 160);
    assertThat(reds(run(1, 2, Preprocessing.DEFAULT, row(0, 70, 140, 210))))
        .containsExactly(0, 210);
  }

  @Test
  void aRowOfFourShrunkToOneAveragesAllOfIt() {
    // scale 4, s = 4, c = 2: pixels 0..3 at distances 1.5, 0.5, 0.5, 1.5: weights 0.625, 0.875,
    // 0.875, 0.625 = 5/24, 7/24, 7/24, 5/24: (0 + 7 * 70 + 7 * 140 + 5 * 210) / 24 = 105. TF.js
    // reads column 0 alone.
    assertThat(reds(run(1, 1, ANTIALIAS, row(0, 70, 140, 210)))).containsExactly(105);
    assertThat(reds(run(1, 1, Preprocessing.DEFAULT, row(0, 70, 140, 210)))).containsExactly(0);
  }

  @Test
  void sixBySixShrunkToFourWeighsPixelsByFractions() {
    // scale 1.5, s = 1.5, centres 0.75, 2.25, 3.75, 5.25. Output 0 reads pixels 0 and 1 at 0.25 and
    // 0.75: weights 5/6 and 1/2 = 5/8 and 3/8. Output 1 reads 1..3 at 0.75, 0.25, 1.25: 1/2, 5/6,
    // 1/6 = 1/3, 5/9, 1/9; outputs 2 and 3 mirror them. Red by column 0, 30, ..., 150: 11.25,
    // 53.33, 96.67, 138.75, rounded 11, 53, 97, 139 (every row alike, which the rows' pass keeps).
    // Green by row 0, 40, ..., 200: 15, 71.11, 128.89, 185 = 15, 71, 129, 185.
    byte[] rgb = new byte[6 * 6 * 3];
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 6; x++) {
        rgb[(y * 6 + x) * 3] = (byte) (30 * x);
        rgb[(y * 6 + x) * 3 + 1] = (byte) (40 * y);
      }
    }
    float[] t = run(4, 4, ANTIALIAS, new Pixels(6, 6, rgb));
    int[] reds = reds(t);
    int[] greens = channel(t, 1);
    for (int y = 0; y < 4; y++) {
      assertThat(java.util.Arrays.copyOfRange(reds, 4 * y, 4 * y + 4))
          .as("row " + y)
          .containsExactly(11, 53, 97, 139);
      assertThat(new int[] {greens[4 * y], greens[4 * y + 3]})
          .as("row " + y)
          .containsOnly(new int[] {15, 71, 129, 185}[y]);
    }
    Taps w = AntialiasResampler.weights(new AxisCut(6, 4, 0, 4));
    // In Pillow's fixed point, (int) (0.5 + weight * 2^22): 1/3 -> 1398101, 5/9 -> 2330169, 1/9 ->
    // 466034.
    assertThat(w.first()).containsExactly(0, 1, 2, 4);
    assertThat(w.count()).containsExactly(2, 3, 3, 2);
    assertThat(java.util.Arrays.copyOfRange(w.weights(), w.span(), w.span() + 3))
        .containsExactly(1398101, 2330169, 466034);
  }

  @Test
  void anEnlargementIsTriangleInterpolationBetweenPixelCentres() {
    // scale 0.5, s = 1 (the triangle is not narrowed), centres 0.25, 0.75, 1.25, 1.75: as pixel
    // positions -0.25, 0.25, 0.75, 1.25, which interpolate 0 and 200 (held at the ends) to 0, 50,
    // 150, 200. TF.js' aligned corners give 0, 66.7, 133.3, 200.
    assertThat(reds(run(1, 4, ANTIALIAS, row(0, 200)))).containsExactly(0, 50, 150, 200);
    assertThat(reds(run(1, 4, Preprocessing.DEFAULT, row(0, 200))))
        .containsExactly(0, 67, 133, 200);
  }

  @Test
  void aCropResamplesTheMiddleOfTheScaledImageAndThenNormalizes() {
    // 8 x 4 into 2 x 2, crop: scaled to 4 x 2, column 1 on cut. Columns: scale 2, s = 2, centres (1
    // + 0.5) * 2 = 3 and 5, each reading 4 pixels at 1.5, 0.5, 0.5, 1.5 (1/8, 3/8, 3/8, 1/8): red
    // 16 per column gives 40 and 72, the values at 2.5 and 4.5. Rows: as four shrunk to two, green
    // 0, 70, 140, 210 by row gives 50 and 160.
    byte[] rgb = new byte[8 * 4 * 3];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 8; x++) {
        rgb[(y * 8 + x) * 3] = (byte) (16 * x);
        rgb[(y * 8 + x) * 3 + 1] = (byte) (70 * y);
        rgb[(y * 8 + x) * 3 + 2] = 7;
      }
    }
    Pixels image = new Pixels(8, 4, rgb);
    float[] t = run(
        2, 2, new Preprocessing(Normalization.UNIT_SCALE, Resize.CROP, Resample.ANTIALIAS), image);
    assertThat(reds(t)).containsExactly(40, 72, 40, 72);
    assertThat(channel(t, 1)).containsExactly(50, 50, 160, 160);

    // The same pixels through imagenet's mean and std, in planes (NCHW).
    var nchw = new ImagePreprocessor(
        Layout.NCHW,
        2,
        2,
        new Preprocessing(Normalization.IMAGENET, Resize.CROP, Resample.ANTIALIAS));
    FloatBuffer out = FloatBuffer.allocate(nchw.tensorSize());
    nchw.resize(image, out);
    assertThat(out.array())
        .containsExactly(
            new float[] {
              (40 / 255f - 0.485f) / 0.229f, (72 / 255f - 0.485f) / 0.229f,
              (40 / 255f - 0.485f) / 0.229f, (72 / 255f - 0.485f) / 0.229f,
              (50 / 255f - 0.456f) / 0.224f, (50 / 255f - 0.456f) / 0.224f,
              (160 / 255f - 0.456f) / 0.224f, (160 / 255f - 0.456f) / 0.224f,
              (7 / 255f - 0.406f) / 0.225f, (7 / 255f - 0.406f) / 0.225f,
              (7 / 255f - 0.406f) / 0.225f, (7 / 255f - 0.406f) / 0.225f
            },
            within(1e-6f));
  }

  @Test
  void anImageMillionsOfRowsTallIsShrunkWithoutHoldingItsHeightBetweenThePasses() {
    // 1 x 3,300,000 (3.3 megapixels, well within the decoder's 50) stretched to 224 x 224: the
    // columns' pass gives 224 pixels for each row an output row reads, 3.3 million rows of 672
    // bytes, more than a Java array holds (2^31), where the rows' pass needs only the ~29,500
    // rows of one output row's triangle at a time.
    Pixels tall = new Pixels(1, 3_300_000, new byte[3_300_000 * 3]);
    Pixels out = AntialiasResampler.resize(tall, CenterCrop.stretch(1, 3_300_000, 224, 224));
    assertThat(out.width()).isEqualTo(224);
    assertThat(out.height()).isEqualTo(224);
    assertThat(out.rgb()).containsOnly((byte) 0);
  }

  private static float[] run(int height, int width, Preprocessing preprocessing, Pixels pixels) {
    var p = new ImagePreprocessor(Layout.NHWC, height, width, preprocessing);
    FloatBuffer out = FloatBuffer.allocate(p.tensorSize());
    p.resize(pixels, out);
    return out.array();
  }

  /** One row of these reds; green and blue 0. */
  private static Pixels row(int... red) {
    byte[] rgb = new byte[red.length * 3];
    for (int i = 0; i < red.length; i++) {
      rgb[3 * i] = (byte) red[i];
    }
    return new Pixels(red.length, 1, rgb);
  }

  private static int[] reds(float[] nhwc) {
    return channel(nhwc, 0);
  }

  /** Channel {@code c} of an NHWC tensor, back in 8-bit steps (rounded: TF.js' blends fall between them). */
  private static int[] channel(float[] nhwc, int c) {
    int[] values = new int[nhwc.length / 3];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.round(nhwc[i * 3 + c] * 255);
    }
    return values;
  }
}
