package offhours.inference;

import java.nio.charset.StandardCharsets;

/**
 * Recognises what an object is from its first bytes; only JPEG and PNG go to the endpoint, and with content type
 * {@code auto} the request says which of the two it is.
 */
public enum ImageFormat {
  JPEG("image/jpeg"),
  PNG("image/png");

  private final String mediaType;

  ImageFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  /** The IANA media type, as the Content-Type of a request. */
  public String mediaType() {
    return mediaType;
  }

  /** JPEG or PNG, or null when the bytes are something else. */
  public static ImageFormat of(byte[] bytes) {
    if (startsWith(bytes, 0, 0xFF, 0xD8, 0xFF)) {
      return JPEG;
    }
    if (startsWith(bytes, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return PNG;
    }
    return null;
  }

  /** A short human description of what unsupported bytes look like, for the rejection reason. */
  public static String describe(byte[] bytes) {
    if (startsWith(bytes, 0, 'G', 'I', 'F', '8')) {
      return "GIF";
    }
    if (startsWith(bytes, 0, 'R', 'I', 'F', 'F') && startsWith(bytes, 8, 'W', 'E', 'B', 'P')) {
      return "WebP";
    }
    if (startsWith(bytes, 0, 'B', 'M')) {
      return "BMP";
    }
    if (startsWith(bytes, 0, 'I', 'I', 0x2A, 0x00) || startsWith(bytes, 0, 'M', 'M', 0x00, 0x2A)) {
      return "TIFF";
    }
    if (startsWith(bytes, 4, 'f', 't', 'y', 'p')) {
      String brand = new String(bytes, 8, Math.min(4, bytes.length - 8), StandardCharsets.US_ASCII);
      return brand.startsWith("avi")
          ? "AVIF"
          : brand.startsWith("hei") || brand.startsWith("mif")
              ? "HEIC"
              : "an ISO media file (" + brand.strip() + ")";
    }
    if (startsWith(bytes, 0, '%', 'P', 'D', 'F')) {
      return "PDF";
    }
    if (looksLikeText(bytes)) {
      return "text";
    }
    return "unknown binary data";
  }

  private static boolean looksLikeText(byte[] bytes) {
    int n = Math.min(bytes.length, 512);
    for (int i = 0; i < n; i++) {
      int b = bytes[i] & 0xFF;
      if (b < 0x09 || (b > 0x0D && b < 0x20) || b == 0x7F) {
        return false; // control characters do not appear in text; bytes >= 0x80 may be UTF-8
      }
    }
    return n > 0;
  }

  private static boolean startsWith(byte[] bytes, int offset, int... expected) {
    if (bytes.length < offset + expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if ((bytes[offset + i] & 0xFF) != expected[i]) {
        return false;
      }
    }
    return true;
  }
}
