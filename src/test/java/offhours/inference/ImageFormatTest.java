package offhours.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImageFormatTest {

  private static byte[] image(String name) {
    try {
      return java.nio.file.Files.readAllBytes(
          java.nio.file.Path.of("src/test/resources/images", name));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void knowsTheMediaTypeOfEachFormatForContentTypeAuto() {
    assertThat(ImageFormat.JPEG.mediaType()).isEqualTo("image/jpeg");
    assertThat(ImageFormat.PNG.mediaType()).isEqualTo("image/png");
  }

  @Test
  void recognisesJpegAndPngByTheirMagicBytes() {
    assertThat(ImageFormat.of(image("rocket.jpg"))).isEqualTo(ImageFormat.JPEG);
    assertThat(ImageFormat.of(image("chelsea.png"))).isEqualTo(ImageFormat.PNG);
    assertThat(ImageFormat.of(image("truncated.jpg"))).isEqualTo(ImageFormat.JPEG);
  }

  @Test
  void everythingElseIsUnsupportedAndDescribed() {
    assertThat(ImageFormat.of(ascii("GIF89a...."))).isNull();
    assertThat(ImageFormat.describe(ascii("GIF89a...."))).isEqualTo("GIF");
    assertThat(ImageFormat.describe(ascii("RIFF\0\0\0\0WEBPVP8 "))).isEqualTo("WebP");
    assertThat(ImageFormat.describe(ascii("%PDF-1.7"))).isEqualTo("PDF");
    assertThat(ImageFormat.describe(ascii("\0\0\0\u0018ftypheic"))).isEqualTo("HEIC");
    assertThat(
            ImageFormat.describe("meeting notes, not a photo\n".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("text");
    assertThat(ImageFormat.describe(new byte[] {0, 1, 2, 3})).isEqualTo("unknown binary data");
  }

  @Test
  void aPngSignatureCutShortIsNotPng() {
    assertThat(ImageFormat.of(new byte[] {(byte) 0x89, 'P', 'N', 'G'})).isNull();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
