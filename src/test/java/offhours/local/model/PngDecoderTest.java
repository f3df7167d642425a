package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import offhours.local.model.ImagePreprocessor.Pixels;
import org.junit.jupiter.api.Test;

/** The direct PNG decoder gives exactly the pixels ImageIO gives, for every variant it accepts. */
class PngDecoderTest {
  private static final Random RANDOM = new Random(1);

  @Test
  void demoPhotosMatchImageIo() throws IOException {
    for (String name : new String[] {"chelsea.png", "coffee.png", "horse.png"}) {
      byte[] png = Files.readAllBytes(Path.of("src/demo/images", name));
      assertSameAsImageIo(name, png);
    }
  }

  @Test
  void everyColourTypeAndDepthMatchesImageIo() throws IOException {
    assertSameAsImageIo("grey 8", png(noise(BufferedImage.TYPE_BYTE_GRAY)));
    assertSameAsImageIo("grey 16", png(noise(BufferedImage.TYPE_USHORT_GRAY)));
    assertSameAsImageIo("rgb 8", png(noise(BufferedImage.TYPE_3BYTE_BGR)));
    assertSameAsImageIo("rgba 8", png(noise(BufferedImage.TYPE_4BYTE_ABGR)));
    var palette =
        new IndexColorModel(8, 3, new byte[] {1, 2, 3}, new byte[] {4, 5, 6}, new byte[] {7, 8, 9});
    BufferedImage indexed = new BufferedImage(13, 7, BufferedImage.TYPE_BYTE_INDEXED, palette);
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 13; x++) {
        indexed.getRaster().setSample(x, y, 0, RANDOM.nextInt(3));
      }
    }
    assertSameAsImageIo("palette", png(indexed));
    for (boolean alpha : new boolean[] {false, true}) {
      var cm = new ComponentColorModel(
          ColorSpace.getInstance(ColorSpace.CS_sRGB),
          alpha,
          false,
          alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
          DataBuffer.TYPE_USHORT);
      var image = new BufferedImage(cm, cm.createCompatibleWritableRaster(11, 9), false, null);
      for (int y = 0; y < 9; y++) {
        for (int x = 0; x < 11; x++) {
          for (int b = 0; b < image.getRaster().getNumBands(); b++) {
            image.getRaster().setSample(x, y, b, RANDOM.nextInt(65536));
          }
        }
      }
      assertSameAsImageIo("16-bit rgb, alpha " + alpha, png(image));
    }
  }

  @Test
  void interlacedPngsAreLeftToImageIo() throws Exception {
    BufferedImage image = noise(BufferedImage.TYPE_3BYTE_BGR);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    var out = new ByteArrayOutputStream();
    try (var stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT); // Adam7
      writer.write(null, new IIOImage(image, null, null), param);
    }
    writer.dispose();
    assertThat(PngDecoder.decode(out.toByteArray())).isNull();
    assertSameAsImageIo("interlaced via ImagePreprocessor", out.toByteArray());
  }

  @Test
  void aPngCutShortEndsEarly() throws IOException {
    byte[] png = Files.readAllBytes(Path.of("src/demo/images/chelsea.png"));
    assertThatThrownBy(() -> PngDecoder.decode(Arrays.copyOf(png, png.length - 20)))
        .hasMessage("could not decode image: PNG data ends early");
  }

  /** A PNG whose header chunk (IHDR) holds 4 bytes where it must hold 13, then IEND. */
  static byte[] shortHeader() {
    return ByteBuffer.allocate(8 + 12 + 4 + 12)
        .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
        .putInt(4)
        .put("IHDR".getBytes())
        .putInt(640)
        .putInt(0)
        .putInt(0)
        .put("IEND".getBytes())
        .putInt(0)
        .array();
  }

  @Test
  void aHeaderChunkOfTheWrongLengthIsReported() {
    byte[] png = shortHeader();

    assertThatThrownBy(() -> PngDecoder.decode(png))
        .hasMessage(
            "could not decode image: the PNG header chunk (IHDR) holds 4 bytes; a PNG's holds 13");
  }

  @Test
  void corruptImageDataIsReported() throws IOException {
    byte[] png = png(noise(BufferedImage.TYPE_3BYTE_BGR));
    int idat = indexOf(png, "IDAT".getBytes()) + 4;
    for (int i = idat + 2; i < idat + 40; i++) {
      png[i] = (byte) 0xff;
    }
    assertThatThrownBy(() -> PngDecoder.decode(png))
        .hasMessageStartingWith("could not decode image: PNG data is corrupt (");
  }

  @Test
  void everyRowFilterOnEveryRowPositionMatchesImageIo() throws IOException {
    // Rows cycle through the five filters, starting with each one so that each filter also meets
    // the first row (no row above); 8-bit RGB has 3 bytes a pixel, 16-bit RGBA 8.
    for (int first = 0; first < 5; first++) {
      assertSameAsImageIo("rgb 8, first filter " + first, filtered(2, 8, 3, first));
      assertSameAsImageIo("rgba 16, first filter " + first, filtered(6, 16, 8, first));
    }
  }

  /** A 29x11 PNG of noise whose row y uses filter (first + y) % 5, encoded here by the PNG spec. */
  private static byte[] filtered(int colour, int depth, int bpp, int first) {
    int width = 29, height = 11, stride = width * bpp;
    var rows = new ByteArrayOutputStream();
    byte[] above = new byte[stride];
    for (int y = 0; y < height; y++) {
      byte[] row = new byte[stride];
      RANDOM.nextBytes(row);
      int filter = (first + y) % 5;
      rows.write(filter);
      for (int i = 0; i < stride; i++) {
        int a = i >= bpp ? row[i - bpp] & 0xff : 0;
        int b = above[i] & 0xff;
        int c = i >= bpp ? above[i - bpp] & 0xff : 0;
        int predictor = switch (filter) {
          case 1 -> a;
          case 2 -> b;
          case 3 -> (a + b) / 2;
          case 4 -> {
            int p = a + b - c;
            int pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
            yield pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          }
          default -> 0;
        };
        rows.write((row[i] - predictor) & 0xff);
      }
      above = row;
    }
    var deflater = new java.util.zip.Deflater();
    deflater.setInput(rows.toByteArray());
    deflater.finish();
    byte[] idat = new byte[rows.size() * 2 + 64];
    int idatLength = deflater.deflate(idat);
    deflater.end();
    var png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(
        png,
        "IHDR",
        ByteBuffer.allocate(13)
            .putInt(width)
            .putInt(height)
            .put((byte) depth)
            .put((byte) colour)
            .array());
    chunk(png, "IDAT", Arrays.copyOf(idat, idatLength));
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
    var crc = new java.util.zip.CRC32();
    crc.update(type.getBytes());
    crc.update(data);
    png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    png.writeBytes(type.getBytes());
    png.writeBytes(data);
    png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static void assertSameAsImageIo(String what, byte[] png) throws IOException {
    BufferedImage reference = ImageIO.read(new ByteArrayInputStream(png));
    byte[] expected = ImagePreprocessor.toRgb(reference);
    Pixels actual;
    try {
      actual = ImagePreprocessor.decode(png);
    } catch (ImagePreprocessor.UndecodableImageException e) {
      throw new AssertionError(what, e);
    }
    assertThat(actual.width()).as(what).isEqualTo(reference.getWidth());
    assertThat(actual.height()).as(what).isEqualTo(reference.getHeight());
    assertThat(actual.rgb()).as(what).isEqualTo(expected);
  }

  private static BufferedImage noise(int type) {
    BufferedImage image = new BufferedImage(37, 23, type);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        // Smooth gradients plus noise, so the writer picks different row filters.
        for (int b = 0; b < image.getRaster().getNumBands(); b++) {
          int max = type == BufferedImage.TYPE_USHORT_GRAY ? 65535 : 255;
          image
              .getRaster()
              .setSample(
                  x,
                  y,
                  b,
                  y % 3 == 0 ? RANDOM.nextInt(max + 1) : (x * 7 + y * 3 + b * 50) % (max + 1));
        }
      }
    }
    return image;
  }

  private static byte[] png(BufferedImage image) throws IOException {
    var out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, "png", out)).isTrue();
    return out.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
