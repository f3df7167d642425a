package offhours.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ThumbnailsTest {

  @Test
  void aPhotoBecomesAJpegWhoseLongestSideIs360() throws Exception {
    byte[] jpeg =
        Thumbnails.of(Files.readAllBytes(Path.of("src/test/resources/images/chelsea.png")));

    BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(jpeg));
    assertThat(jpeg).startsWith(0xFF, 0xD8, 0xFF);
    assertThat(thumbnail.getWidth()).isEqualTo(360);
    assertThat(thumbnail.getHeight())
        .isEqualTo(239); // chelsea.png is 451 x 300: 300 x 360 / 451 = 239.5, rounded
  }

  @Test
  void aTinyPngThatDeclaresTenBillionPixelsIsRefusedBeforeDecoding() {
    byte[] bomb = pngHeader(100_000, 100_000);

    assertThatThrownBy(() -> Thumbnails.of(bomb))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the image has 10000000000 pixels; thumbnails stop at 50000000");
  }

  @Test
  void aLargeImageIsDecodedSubsampledToAtMostTwiceTheThumbnail() throws Exception {
    // 48 MP: under the pixel limit, 144 MB of RGB if decoded whole; a few KB as a PNG of one
    // colour.
    byte[] large = png(8000, 6000);

    BufferedImage decoded = Thumbnails.decode(large);
    assertThat(decoded.getWidth()).isLessThanOrEqualTo(2 * Thumbnails.SIZE).isEqualTo(667);
    assertThat(decoded.getHeight()).isEqualTo(500);
    BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(Thumbnails.of(large)));
    assertThat(thumbnail.getWidth()).isEqualTo(360);
    assertThat(thumbnail.getHeight()).isEqualTo(270);
  }

  @Test
  void subsamplingKeepsTheLongestSideBetweenOnceAndTwiceTheThumbnail() {
    assertThat(Thumbnails.subsampling(451, 300)).isEqualTo(1);
    assertThat(Thumbnails.subsampling(720, 10)).isEqualTo(1);
    assertThat(Thumbnails.subsampling(10, 721)).isEqualTo(2); // 361 rows
    assertThat(Thumbnails.subsampling(65_535, 700)).isEqualTo(92); // 713 columns
  }

  @Test
  void aRowTooLongForAReaderIsRefusedBeforeDecoding() {
    assertThatThrownBy(() -> Thumbnails.of(pngHeader(10_000_000, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the image is 10000000 x 1 pixels; thumbnails stop at 65535 pixels a side");
  }

  @Test
  void textWithAnImageNameIsRefused() {
    assertThatThrownBy(() -> Thumbnails.of("notes, not a photo".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("not a JPEG or PNG image");
  }

  @Test
  void anEmptyObjectIsRefusedAsEmptyNotAsAnotherFormat() {
    assertThatThrownBy(() -> Thumbnails.of(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the object is empty (0 bytes)");
  }

  /** A whole 8-bit RGB PNG of {@code width} x {@code height} black pixels, compressed row by row. */
  private static byte[] png(int width, int height) throws Exception {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat)) {
      byte[] row = new byte[1 + 3 * width]; // filter type 0, then the pixels
      for (int y = 0; y < height; y++) {
        z.write(row);
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(pngHeader(width, height));
    png.writeBytes(chunk("IDAT", idat.toByteArray()));
    png.writeBytes(chunk("IEND", new byte[0]));
    return png.toByteArray();
  }

  private static byte[] chunk(String type, byte[] data) {
    ByteBuffer typed = ByteBuffer.allocate(4 + data.length)
        .put(type.getBytes(StandardCharsets.US_ASCII))
        .put(data);
    CRC32 crc = new CRC32();
    crc.update(typed.array());
    return ByteBuffer.allocate(12 + data.length)
        .putInt(data.length)
        .put(typed.array())
        .putInt((int) crc.getValue())
        .array();
  }

  /** A PNG signature and an IHDR chunk (8-bit RGB) claiming {@code width} x {@code height}, and nothing else. */
  private static byte[] pngHeader(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(17)
        .put("IHDR".getBytes(StandardCharsets.US_ASCII))
        .putInt(width)
        .putInt(height)
        .put((byte) 8)
        .put((byte) 2)
        .put((byte) 0)
        .put((byte) 0)
        .put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    png.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
    png.writeBytes(ihdr.array());
    png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    return png.toByteArray();
  }
}
