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
  void textWithAnImageNameIsRefused() {
    assertThatThrownBy(() -> Thumbnails.of("notes, not a photo".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("not a JPEG or PNG image");
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
