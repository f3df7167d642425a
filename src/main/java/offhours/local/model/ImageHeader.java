package offhours.local.model;

import java.util.HexFormat;
import offhours.local.model.ImagePreprocessor.UndecodableImageException;

/**
 * What an image's header says before anything is decoded: its format and size, and so roughly how much memory
 * decoding it takes. Read from the PNG header chunk (https://www.w3.org/TR/png-3/#11IHDR) or the JPEG frame header
 * (SOFn, ITU T.81 B.2.2) without allocating anything in proportion to the image.
 *
 * @param bytesToDecode the decoder's arrays for this image: the raw samples and the 8-bit RGB copy
 */
record ImageHeader(String format, int width, int height, long bytesToDecode) {
  /** Refuse decompression bombs before allocating: 50 megapixels is ~150 MB of RGB. */
  static final long MAX_PIXELS = 50_000_000L;

  /** A JPEG decodes to an ImageIO raster (up to 4 bytes a pixel, twice when a colour profile is converted). */
  private static final int JPEG_BYTES_PER_PIXEL = 8;

  static ImageHeader read(byte[] b) throws UndecodableImageException {
    if (b.length == 0) {
      throw new UndecodableImageException("the body is empty");
    }
    if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
      return jpeg(b);
    }
    if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      return png(b);
    }
    throw new UndecodableImageException("not a JPEG or PNG (first bytes: "
        + HexFormat.ofDelimiter(" ").formatHex(b, 0, Math.min(8, b.length)) + ")");
  }

  private static ImageHeader png(byte[] b) throws UndecodableImageException {
    if (b.length < 8 + 8 || readInt(b, 12) != 0x49484452) {
      throw new UndecodableImageException("the PNG does not start with its header chunk (IHDR)");
    }
    int length = readInt(b, 8);
    if (length != 13) {
      throw new UndecodableImageException(
          "the PNG header chunk (IHDR) holds " + length + " bytes; a PNG's holds 13");
    }
    if (b.length < 16 + 13) {
      throw new UndecodableImageException("PNG data ends early");
    }
    int width = readInt(b, 16);
    int height = readInt(b, 20);
    int depth = b[24];
    int colour = b[25];
    int channels = switch (colour) {
      case 0, 3 -> 1;
      case 4 -> 2;
      case 2 -> 3;
      case 6 -> 4;
      default ->
        throw new UndecodableImageException("PNG colour type " + colour + " does not exist");
    };
    if (depth != 1 && depth != 2 && depth != 4 && depth != 8 && depth != 16) {
      throw new UndecodableImageException("PNG bit depth " + depth + " does not exist");
    }
    checkSize("PNG", width, height);
    long bytesPerRow = 1 + ((long) width * channels * depth + 7) / 8;
    return new ImageHeader("PNG", width, height, height * bytesPerRow + 3L * width * height);
  }

  /** The first frame header (SOF0..SOF15 but DHT, JPG and DAC) after the segments before it. */
  private static ImageHeader jpeg(byte[] b) throws UndecodableImageException {
    int pos = 2;
    while (pos + 4 <= b.length) {
      if ((b[pos] & 0xff) != 0xff) {
        throw new UndecodableImageException("JPEG data is corrupt (no marker at byte " + pos + ")");
      }
      int marker = b[pos + 1] & 0xff;
      if (marker == 0xff) {
        pos++; // fill byte
        continue;
      }
      int length = ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
      boolean frame =
          marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
      if (frame) {
        if (pos + 9 > b.length) {
          break;
        }
        int height = ((b[pos + 5] & 0xff) << 8) | (b[pos + 6] & 0xff);
        int width = ((b[pos + 7] & 0xff) << 8) | (b[pos + 8] & 0xff);
        checkSize("JPEG", width, height);
        return new ImageHeader("JPEG", width, height, (JPEG_BYTES_PER_PIXEL + 3L) * width * height);
      }
      if (marker == 0xd9 || marker == 0xda || length < 2) {
        break; // end of image, or scan data, before any frame header
      }
      pos += 2 + length;
    }
    throw new UndecodableImageException(
        "JPEG data ends early (no frame header gives the image's size)");
  }

  private static void checkSize(String format, int width, int height)
      throws UndecodableImageException {
    if (width <= 0 || height <= 0) {
      throw new UndecodableImageException(format + " has a size of "
          + Integer.toUnsignedString(width) + "x" + Integer.toUnsignedString(height));
    }
    if ((long) width * height > MAX_PIXELS) {
      throw new UndecodableImageException(width + "x" + height + " pixels is more than the "
          + MAX_PIXELS / 1_000_000 + " megapixels this container accepts");
    }
  }

  private static int readInt(byte[] b, int p) {
    return ((b[p] & 0xff) << 24)
        | ((b[p + 1] & 0xff) << 16)
        | ((b[p + 2] & 0xff) << 8)
        | (b[p + 3] & 0xff);
  }
}
