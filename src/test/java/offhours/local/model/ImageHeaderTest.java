package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Sizes read from headers alone, before any decoding; malformed headers are the image's fault. */
class ImageHeaderTest {

  @Test
  void readsTheSizeOfThePhotosFromTheirHeaders() throws Exception {
    ImageHeader png = ImageHeader.read(ImagePreprocessorTest.resource("chelsea.png"));
    ImageHeader jpeg = ImageHeader.read(ImagePreprocessorTest.resource("rocket.jpg"));

    assertThat(png)
        .isEqualTo(new ImageHeader("PNG", 451, 300, 300L * (1 + 451 * 3) + 3L * 451 * 300));
    assertThat(jpeg.format()).isEqualTo("JPEG");
    assertThat(jpeg.width()).isEqualTo(640);
    assertThat(jpeg.height()).isEqualTo(427);
  }

  @Test
  void malformedHeadersSayWhatIsWrong() throws Exception {
    byte[] sixteenBitRgba = pngHeader(13, 1000, 1000, 16, 6);
    assertThat(ImageHeader.read(sixteenBitRgba).bytesToDecode())
        .isEqualTo(1000L * (1 + 1000 * 8) + 3_000_000L);

    assertThatThrownBy(() -> ImageHeader.read(pngHeader(4, 640, 480, 8, 2)))
        .hasMessage(
            "could not decode image: the PNG header chunk (IHDR) holds 4 bytes; a PNG's holds 13");
    assertThatThrownBy(() -> ImageHeader.read(pngHeader(13, 640, 480, 7, 2)))
        .hasMessage("could not decode image: PNG bit depth 7 does not exist");
    assertThatThrownBy(() -> ImageHeader.read(pngHeader(13, -1, 480, 8, 2)))
        .hasMessage("could not decode image: PNG has a size of 4294967295x480");
    assertThatThrownBy(() -> ImageHeader.read(pngHeader(13, 100_000, 100_000, 8, 2)))
        .hasMessage(
            "could not decode image: 100000x100000 pixels is more than the 50 megapixels this container"
                + " accepts");
    byte[] jpeg = ImagePreprocessorTest.resource("rocket.jpg");
    assertThatThrownBy(() -> ImageHeader.read(Arrays.copyOf(jpeg, 40)))
        .hasMessageStartingWith("could not decode image: JPEG data");
  }

  private static byte[] pngHeader(int length, int width, int height, int depth, int colour) {
    return ByteBuffer.allocate(8 + 8 + 13 + 4)
        .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
        .putInt(length)
        .put("IHDR".getBytes())
        .putInt(width)
        .putInt(height)
        .put((byte) depth)
        .put((byte) colour)
        .put(new byte[3])
        .putInt(0)
        .array();
  }
}
