package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.Arrays;
import javax.imageio.ImageIO;
import offhours.local.model.ImagePreprocessor.Layout;
import offhours.local.model.ImagePreprocessor.Pixels;
import offhours.local.model.ImagePreprocessor.UndecodableImageException;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {
  /** 3 wide, 2 high; R = 0,51,102 / 153,204,255; G = 255 - R; B = 7. */
  private static final Pixels TINY = pixels(3, 2, 0, 51, 102, 153, 204, 255);

  @Test
  void resizeAlignsCornersLikeTfjs() {
    // out 2 wide x 3 high: x samples source columns 0 and 2, y samples rows 0, 0.5 and 1.
    float[] t = run(new ImagePreprocessor(Layout.NHWC, 3, 2, Preprocessing.DEFAULT), TINY);
    assertThat(channel(t, 0, 3))
        .containsExactly(new float[] {0f, 0.4f, 0.3f, 0.7f, 0.6f, 1f}, within(1e-6f));
    assertThat(channel(t, 1, 3))
        .containsExactly(new float[] {1f, 0.6f, 0.7f, 0.3f, 0.4f, 0f}, within(1e-6f));
    assertThat(channel(t, 2, 3)).containsOnly(7 / 255f);
  }

  @Test
  void upscalingInterpolatesBetweenColumns() {
    // 3 -> 5 columns: source x = 0, 0.5, 1, 1.5, 2; 2 -> 1 row: TF.js samples row 0 (scale in/out,
    // y = 0).
    float[] t = run(new ImagePreprocessor(Layout.NHWC, 1, 5, Preprocessing.DEFAULT), TINY);
    assertThat(channel(t, 0, 3))
        .containsExactly(new float[] {0f, 0.1f, 0.2f, 0.3f, 0.4f}, within(1e-6f));
  }

  @Test
  void sameSizeIsAnExactCopy() {
    float[] t = run(new ImagePreprocessor(Layout.NHWC, 2, 3, Preprocessing.DEFAULT), TINY);
    assertThat(channel(t, 0, 3))
        .containsExactly(0f, 51 / 255f, 102 / 255f, 153 / 255f, 204 / 255f, 1f);
  }

  @Test
  void nchwWritesOnePlanePerChannel() {
    float[] t = run(new ImagePreprocessor(Layout.NCHW, 2, 3, Preprocessing.DEFAULT), TINY);
    assertThat(Arrays.copyOfRange(t, 0, 6))
        .containsExactly(0f, 51 / 255f, 102 / 255f, 153 / 255f, 204 / 255f, 1f);
    assertThat(Arrays.copyOfRange(t, 12, 18)).containsOnly(7 / 255f);
  }

  @Test
  void imagenetNormalizationSubtractsMeanAndDividesByStd() {
    float[] t = run(
        new ImagePreprocessor(
            Layout.NHWC, 2, 3, new Preprocessing(Normalization.IMAGENET, Resize.STRETCH)),
        TINY);
    assertThat(t[0]).isCloseTo((0f - 0.485f) / 0.229f, within(1e-6f));
    assertThat(t[1]).isCloseTo((1f - 0.456f) / 0.224f, within(1e-6f));
    assertThat(t[2]).isCloseTo((7 / 255f - 0.406f) / 0.225f, within(1e-6f));
  }

  @Test
  void layoutAndSizeComeFromTheModelInputShape() {
    var nhwc =
        InputShape.preprocessor("input_1", new long[] {-1, 224, 200, 3}, Preprocessing.DEFAULT);
    assertThat(nhwc.layout()).isEqualTo(Layout.NHWC);
    assertThat(nhwc.tensorShape()).containsExactly(1, 224, 200, 3);
    var nchw = InputShape.preprocessor("x", new long[] {1, 3, 256, 128}, Preprocessing.DEFAULT);
    assertThat(nchw.tensorShape()).containsExactly(1, 3, 256, 128);
    assertThatThrownBy(
            () -> InputShape.preprocessor("x", new long[] {-1, 3, -1, -1}, Preprocessing.DEFAULT))
        .hasMessageStartingWith("model input 'x' has shape [-1, 3, -1, -1], its height and width"
            + " dynamic (-1): give --input-size");
    assertThatThrownBy(
            () -> InputShape.preprocessor("x", new long[] {-1, 3, 224}, Preprocessing.DEFAULT))
        .hasMessage("model input 'x' has shape [-1, 3, 224]; expected an RGB image tensor"
            + " [N,H,W,3] or [N,3,H,W]");
    assertThatThrownBy(
            () -> InputShape.preprocessor("x", new long[] {1, 1, 224, 224}, Preprocessing.DEFAULT))
        .as("one channel, fixed")
        .hasMessageEndingWith("expected an RGB image tensor [N,H,W,3] or [N,3,H,W]");
  }

  private static ImagePreprocessor sized(long... shape) {
    return InputShape.preprocessor(
        "x", shape, Preprocessing.of(java.util.Map.of("INPUT_SIZE", "32x48")));
  }

  @Test
  void aDynamicHeightAndWidthTakeTheInputSizeAndDynamicChannelsTheirLayoutFromTheOtherEnd() {
    assertThat(sized(-1, -1, -1, -1).tensorShape())
        .as("all dynamic: NCHW of 3 channels")
        .containsExactly(1, 3, 32, 48);
    assertThat(sized(-1, 3, -1, -1).tensorShape()).containsExactly(1, 3, 32, 48);
    assertThat(sized(-1, -1, -1, 3).tensorShape()).containsExactly(1, 32, 48, 3);
    assertThat(sized(1, -1, -1, -1).tensorShape())
        .as("the batch fixed, the rest dynamic: NCHW of 3 channels")
        .containsExactly(1, 3, 32, 48);
    assertThatThrownBy(
            () -> InputShape.preprocessor("x", new long[] {-1, -1, -1, -1}, Preprocessing.DEFAULT))
        .hasMessageStartingWith("model input 'x' has shape [-1, -1, -1, -1], its height and width"
            + " dynamic (-1): give --input-size the size the model was trained at");
    assertThatThrownBy(
            () -> InputShape.preprocessor("x", new long[] {-1, 3, 224, -1}, Preprocessing.DEFAULT))
        .hasMessageStartingWith("model input 'x' has shape [-1, 3, 224, -1], its width dynamic");
    assertThatThrownBy(() -> sized(1, 3, 48, 32))
        .hasMessage("model input 'x' has shape [1, 3, 48, 32], its height and width fixed at"
            + " 48x32, but --input-size is 32x48; give the same, or leave it out");
    assertThatThrownBy(() -> sized(1, 3, -1, 32))
        .hasMessageEndingWith("its width fixed at 32, but --input-size is 32x48; give that width");
  }

  @Test
  void aFixedSideOverTheInputSizesBoundIsRefusedNamingTheShape() {
    assertThat(InputShape.preprocessor("x", new long[] {1, 3, 4096, 4096}, Preprocessing.DEFAULT)
            .tensorShape())
        .containsExactly(1, 3, 4096, 4096);
    assertThatThrownBy(() ->
            InputShape.preprocessor("x", new long[] {1, 3, 100000, 100000}, Preprocessing.DEFAULT))
        .hasMessage(
            "model input 'x' has shape [1, 3, 100000, 100000], its height and width fixed at"
                + " 100000x100000, more than the 4096 per side local mode feeds an image at; export the"
                + " model at the size it was trained at");
    assertThatThrownBy(() ->
            InputShape.preprocessor("x", new long[] {-1, 224, 4097, 3}, Preprocessing.DEFAULT))
        .hasMessageStartingWith("model input 'x' has shape [-1, 224, 4097, 3], its width fixed at"
            + " 4097, more than the 4096 per side");
    assertThatThrownBy(() -> sized(1, 3, 1L << 40, -1))
        .as("beyond an int, and with an input size for the dynamic width")
        .hasMessageStartingWith("model input 'x' has shape [1, 3, 1099511627776, -1], its height"
            + " fixed at 1099511627776, more than the 4096 per side");
  }

  @Test
  void aShapeThatLeavesTheChannelsEndAmbiguousIsRefusedNeverGuessed() {
    String neither = ": neither end is a fixed 3, so whether its channels come first [N,C,H,W] or"
        + " last [N,H,W,C] is ambiguous; export the model with its channels fixed at 3, as"
        + " [N,3,H,W] or [N,H,W,3]";
    for (long[] shape : new long[][] {
      {-1, 224, -1, -1}, {-1, -1, -1, 224}, {-1, -1, 32, 48}, {-1, 32, 48, -1}, {-1, -1, 32, -1}
    }) {
      assertThatThrownBy(() -> sized(shape))
          .as(java.util.Arrays.toString(shape))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("model input 'x' has shape " + java.util.Arrays.toString(shape) + neither);
    }
    assertThatThrownBy(() ->
            InputShape.preprocessor("x", new long[] {-1, -1, 224, 200}, Preprocessing.DEFAULT))
        .as("a fixed size beside dynamic channels: NCHW, or NHWC of 200 channels")
        .hasMessage("model input 'x' has shape [-1, -1, 224, 200]" + neither);
    assertThatThrownBy(() -> sized(-1, 3, -1, 3))
        .hasMessage(
            "model input 'x' has shape [-1, 3, -1, 3]: both its ends are 3, so whether its"
                + " channels come first [N,C,H,W] or last [N,H,W,C] is ambiguous; export the model with"
                + " its height and width fixed at the size it was trained at, as [N,3,H,W] or [N,H,W,3]");
    // Height and width fixed already: one of them is 3 pixels, which is what to mend.
    for (long[] shape : new long[][] {{1, 3, 32, 3}, {1, 3, 3, 3}}) {
      assertThatThrownBy(() -> sized(shape))
          .as(java.util.Arrays.toString(shape))
          .hasMessage("model input 'x' has shape " + java.util.Arrays.toString(shape) + ": both its"
              + " ends are 3, so whether its channels come first [N,C,H,W] or last [N,H,W,C] is"
              + " ambiguous; export the model at the size it was trained at (either way one of its"
              + " sides is 3 pixels), as [N,3,H,W] or [N,H,W,3]");
    }
  }

  @Test
  void aSideOrChannelsOfZeroAreSaidAsThat() {
    String advice =
        " 0, where an RGB image has 3 channels and at least one pixel a side; export the"
            + " model at the size it was trained at, as [N,3,H,W] or [N,H,W,3]";
    assertThatThrownBy(() -> sized(1, 3, 0, 0))
        .hasMessage("model input 'x' has shape [1, 3, 0, 0]: its height and width are" + advice);
    assertThatThrownBy(() -> sized(1, 0, 224, 3))
        .hasMessage("model input 'x' has shape [1, 0, 224, 3]: its height is" + advice);
    assertThatThrownBy(() -> sized(-1, 3, 224, 0))
        .hasMessage("model input 'x' has shape [-1, 3, 224, 0]: its width is" + advice);
    assertThatThrownBy(() -> sized(1, 0, 224, 224))
        .hasMessage(
            "model input 'x' has shape [1, 0, 224, 224]: its dimension 1 (counting from 0) is"
                + advice);
    assertThatThrownBy(() -> sized(1, 3, 0, 3))
        .hasMessage("model input 'x' has shape [1, 3, 0, 3]: its dimension 2 (counting from 0) is"
            + advice);
    assertThatThrownBy(() -> sized(1, 0, 0, 224))
        .hasMessage(
            "model input 'x' has shape [1, 0, 0, 224]: its dimensions 1 and 2 (counting from 0)"
                + " are" + advice);
  }

  @Test
  void dynamicChannelsBesideAFixedEndOfOneTwoOrFourAreNoRgbImage() {
    // Grey, grey and alpha, RGBA: exported with a dynamic size, the channels' end is fixed, and
    // the dynamic end is the image's height or width, not its channels.
    for (long[] shape : new long[][] {
      {-1, 1, -1, -1}, {-1, 2, -1, -1}, {-1, 4, -1, -1}, {-1, -1, -1, 1}, {-1, -1, -1, 4}
    }) {
      assertThatThrownBy(() -> sized(shape))
          .as(java.util.Arrays.toString(shape))
          .hasMessageEndingWith("; expected an RGB image tensor [N,H,W,3] or [N,3,H,W]");
    }
  }

  @Test
  void greyPngKeepsItsValuesOnAllThreeChannels() throws Exception {
    BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(0, 0, 0, 10);
    grey.getRaster().setSample(1, 0, 0, 200);
    // Java2D's getRGB would gamma-convert linear grey; browsers and TF.js use the stored values.
    assertThat(ImagePreprocessor.decode(png(grey)).rgb())
        .containsExactly(10, 10, 10, (byte) 200, (byte) 200, (byte) 200);
  }

  @Test
  void sixteenBitGreyPngIsRoundedToEightBits() throws Exception {
    BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    grey.getRaster().setSample(0, 0, 0, 0x8080);
    grey.getRaster().setSample(1, 0, 0, 0xffff);
    assertThat(ImagePreprocessor.decode(png(grey)).rgb())
        .containsExactly(128, 128, 128, (byte) 255, (byte) 255, (byte) 255);
  }

  @Test
  void palettePngIsLookedUp() throws Exception {
    var palette =
        new IndexColorModel(8, 2, new byte[] {1, 100}, new byte[] {2, 110}, new byte[] {3, 120});
    BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
    indexed.getRaster().setSample(0, 0, 0, 1);
    indexed.getRaster().setSample(1, 0, 0, 0);
    assertThat(ImagePreprocessor.decode(png(indexed)).rgb())
        .containsExactly(100, 110, 120, 1, 2, 3);
  }

  @Test
  void alphaIsDroppedAndColourKept() throws Exception {
    BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x40_11_22_33);
    assertThat(ImagePreprocessor.decode(png(argb)).rgb()).containsExactly(0x11, 0x22, 0x33);
  }

  @Test
  void jpegIsDecodedToRgbOrder() throws Exception {
    Pixels p = ImagePreprocessor.decode(resource("rocket.jpg"));
    assertThat(p.width()).isEqualTo(640);
    assertThat(p.height()).isEqualTo(427);
    BufferedImage reference =
        ImageIO.read(new java.io.ByteArrayInputStream(resource("rocket.jpg")));
    int rgb = reference.getRGB(100, 200);
    int o = (200 * 640 + 100) * 3;
    assertThat(new int[] {p.rgb()[o] & 0xff, p.rgb()[o + 1] & 0xff, p.rgb()[o + 2] & 0xff})
        .containsExactly((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
  }

  @Test
  void jpegWithAnEmbeddedProfileIsConvertedToSrgbAsImageIoDoesEveryPixel() throws Exception {
    // rocket.jpg embeds a camera's ICC profile: ImageIO converts from it to sRGB (up to 55 levels
    // on this photo), the container keeps that conversion per thread and must give the same bytes.
    byte[] jpeg = resource("rocket.jpg");
    assertThat(ImagePreprocessor.decode(jpeg).rgb()).isEqualTo(imageIoRgb(jpeg));
    assertThat(ImagePreprocessor.decode(jpeg).rgb()).isEqualTo(imageIoRgb(jpeg));
  }

  @Test
  void aJpegWithAnotherProfileGetsItsOwnConversion() throws Exception {
    byte[] camera = resource("rocket.jpg");
    byte[] gamma2 = withProfile(camera, withGamma(profile(camera), 0x0200)); // 2.0, not 2.2
    byte[] first = ImagePreprocessor.decode(camera).rgb(); // keeps the camera profile's conversion

    byte[] second = ImagePreprocessor.decode(gamma2).rgb();

    assertThat(second).isEqualTo(imageIoRgb(gamma2)).isNotEqualTo(first);
  }

  @Test
  void aProfileTheReaderReplacesWhileReadingGetsTheReadersOwnConversion() throws Exception {
    // With Java's built-in linear RGB profile embedded, the JPEG reader makes a new colour space
    // when it reads, and refuses the unconverted type asked for: the decode falls back.
    byte[] linear = withProfile(
        resource("rocket.jpg"),
        ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData());

    assertThat(ImagePreprocessor.decode(linear).rgb()).isEqualTo(imageIoRgb(linear));
  }

  @Test
  void emptyBodyIsRejected() {
    assertThatThrownBy(() -> ImagePreprocessor.decode(new byte[0]))
        .isInstanceOf(UndecodableImageException.class)
        .hasMessage("could not decode image: the body is empty");
  }

  @Test
  void textIsRejectedWithItsFirstBytes() {
    assertThatThrownBy(() -> ImagePreprocessor.decode("notes, not a photo".getBytes()))
        .hasMessage(
            "could not decode image: not a JPEG or PNG (first bytes: 6e 6f 74 65 73 2c 20 6e)");
  }

  @Test
  void jpegCutInItsHeadersIsRejected() {
    assertThatThrownBy(() -> ImagePreprocessor.decode(resource("truncated.jpg")))
        .isInstanceOf(UndecodableImageException.class)
        .hasMessage(
            "could not decode image: JPEG data is corrupt or truncated (Bogus Huffman table definition)");
  }

  @Test
  void jpegCutInItsScanDataIsRejectedNotGreyFilled() throws IOException {
    byte[] jpeg = resource("rocket.jpg");
    assertThatThrownBy(() -> ImagePreprocessor.decode(Arrays.copyOf(jpeg, jpeg.length / 2)))
        .isInstanceOf(UndecodableImageException.class)
        .hasMessage(
            "could not decode image: JPEG data ends early (Truncated File - Missing EOI marker)");
  }

  @Test
  void truncatedPngIsRejected() throws IOException {
    byte[] png = resource("chelsea.png");
    assertThatThrownBy(() -> ImagePreprocessor.decode(Arrays.copyOf(png, png.length / 2)))
        .isInstanceOf(UndecodableImageException.class)
        .hasMessage("could not decode image: PNG data ends early");
  }

  private static float[] run(ImagePreprocessor p, Pixels pixels) {
    FloatBuffer out = FloatBuffer.allocate(p.tensorSize());
    p.resize(pixels, out);
    return out.array();
  }

  private static float[] channel(float[] nhwc, int c, int channels) {
    float[] r = new float[nhwc.length / channels];
    for (int i = 0; i < r.length; i++) {
      r[i] = nhwc[i * channels + c];
    }
    return r;
  }

  private static Pixels pixels(int w, int h, int... red) {
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0; i < red.length; i++) {
      rgb[3 * i] = (byte) red[i];
      rgb[3 * i + 1] = (byte) (255 - red[i]);
      rgb[3 * i + 2] = 7;
    }
    return new Pixels(w, h, rgb);
  }

  private static byte[] png(BufferedImage image) throws IOException {
    var out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, "png", out)).isTrue();
    return out.toByteArray();
  }

  /** 8-bit RGB as ImageIO's default read gives it (TYPE_3BYTE_BGR in sRGB for a colour JPEG). */
  private static byte[] imageIoRgb(byte[] image) throws IOException {
    BufferedImage reference = ImageIO.read(new java.io.ByteArrayInputStream(image));
    assertThat(reference.getColorModel().getColorSpace().isCS_sRGB()).isTrue();
    int w = reference.getWidth();
    int h = reference.getHeight();
    int[] argb = reference.getRGB(0, 0, w, h, null, 0, w);
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0; i < argb.length; i++) {
      rgb[3 * i] = (byte) (argb[i] >> 16);
      rgb[3 * i + 1] = (byte) (argb[i] >> 8);
      rgb[3 * i + 2] = (byte) argb[i];
    }
    return rgb;
  }

  /** The ICC profile of a JPEG that holds it in one APP2 segment. */
  private static byte[] profile(byte[] jpeg) {
    int pos = 2;
    while ((jpeg[pos + 1] & 0xff) != 0xe2) {
      pos += 2 + (((jpeg[pos + 2] & 0xff) << 8) | (jpeg[pos + 3] & 0xff));
    }
    int length = ((jpeg[pos + 2] & 0xff) << 8) | (jpeg[pos + 3] & 0xff);
    return Arrays.copyOfRange(jpeg, pos + 4 + 14, pos + 2 + length); // after "ICC_PROFILE\0", n, of
  }

  /** The RGB profile with its three tone curves (rTRC, gTRC, bTRC: one gamma each) set to {@code gamma}. */
  private static byte[] withGamma(byte[] profile, int u8Fixed8) {
    byte[] p = profile.clone();
    var b = java.nio.ByteBuffer.wrap(p);
    for (int tag = 0, tags = b.getInt(128); tag < tags; tag++) {
      String signature =
          new String(p, 132 + 12 * tag, 4, java.nio.charset.StandardCharsets.US_ASCII);
      if (signature.matches("[rgb]TRC")) {
        int offset = b.getInt(132 + 12 * tag + 4);
        assertThat(b.getInt(offset + 8)).as("%s holds one gamma", signature).isEqualTo(1);
        b.putShort(offset + 12, (short) u8Fixed8);
      }
    }
    return p;
  }

  /** The JPEG with its ICC profile segments (APP2 "ICC_PROFILE") replaced by one holding {@code profile}. */
  private static byte[] withProfile(byte[] jpeg, byte[] profile) {
    var out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    int pos = 2;
    while ((jpeg[pos + 1] & 0xff) != 0xda) {
      int length = ((jpeg[pos + 2] & 0xff) << 8) | (jpeg[pos + 3] & 0xff);
      if ((jpeg[pos + 1] & 0xff) != 0xe2) {
        out.write(jpeg, pos, 2 + length);
      }
      pos += 2 + length;
    }
    byte[] id = "ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    int length = 2 + id.length + 2 + profile.length;
    out.write(new byte[] {(byte) 0xff, (byte) 0xe2, (byte) (length >> 8), (byte) length}, 0, 4);
    out.writeBytes(id);
    out.write(new byte[] {1, 1}, 0, 2); // chunk 1 of 1
    out.writeBytes(profile);
    out.write(jpeg, pos, jpeg.length - pos);
    return out.toByteArray();
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = ImagePreprocessorTest.class.getResourceAsStream("/images/" + name)) {
      return in.readAllBytes();
    }
  }
}
