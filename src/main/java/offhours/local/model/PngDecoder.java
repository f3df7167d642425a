package offhours.local.model;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import offhours.local.model.ImagePreprocessor.Pixels;
import offhours.local.model.ImagePreprocessor.UndecodableImageException;

/**
 * A direct PNG decoder for the common case (non-interlaced, 8 or 16 bits per sample, any colour type but
 * sub-byte greys/palettes), straight to 8-bit RGB. It exists for speed: ImageIO's PNG reader copies every row
 * through a generic raster conversion into BGR order, which costs more than inflating and unfiltering
 * (https://www.w3.org/TR/png-3/). Other PNGs return null and go to ImageIO. Like ImageIO, it applies no
 * gamma or ICC colour conversion, and ignores alpha.
 */
final class PngDecoder {
  private static final int GREY = 0, RGB = 2, PALETTE = 3, GREY_ALPHA = 4, RGBA = 6;

  private PngDecoder() {}

  /** Returns null when this PNG variant is left to ImageIO. */
  static Pixels decode(byte[] png) throws UndecodableImageException {
    int pos = 8; // signature, checked by the caller
    int width = 0, height = 0, depth = 0, colour = 0, channels = 0;
    byte[] palette = null;
    byte[] raw = null;
    int rawLength = 0;
    Inflater inflater = new Inflater();
    try {
      while (true) {
        if (pos + 8 > png.length) {
          throw new UndecodableImageException("PNG data ends early");
        }
        int length = readInt(png, pos);
        int type = readInt(png, pos + 4);
        int data = pos + 8;
        if (length < 0 || (long) data + length + 4 > png.length) {
          throw new UndecodableImageException("PNG data ends early");
        }
        switch (type) {
          case 0x49484452 -> { // IHDR
            if (length != 13) {
              throw new UndecodableImageException(
                  "the PNG header chunk (IHDR) holds " + length + " bytes; a PNG's" + " holds 13");
            }
            width = readInt(png, data);
            height = readInt(png, data + 4);
            depth = png[data + 8];
            colour = png[data + 9];
            if (png[data + 12] != 0
                || (depth != 8 && depth != 16)
                || (colour == PALETTE && depth != 8)) {
              return null; // interlaced or sub-byte samples: ImageIO handles those
            }
            channels = switch (colour) {
              case GREY, PALETTE -> 1;
              case GREY_ALPHA -> 2;
              case RGB -> 3;
              case RGBA -> 4;
              default ->
                throw new UndecodableImageException(
                    "PNG colour type " + colour + " does not exist");
            };
            if (width <= 0 || height <= 0) {
              throw new UndecodableImageException("PNG has a size of " + width + "x" + height);
            }
            if ((long) width * height > ImageHeader.MAX_PIXELS) {
              throw new UndecodableImageException(width + "x" + height + " pixels is more than the "
                  + ImageHeader.MAX_PIXELS / 1_000_000 + " megapixels this container accepts");
            }
            raw = new byte
                [Math.toIntExact((long) height * (1 + (long) width * channels * depth / 8))];
          }
          case 0x504c5445 ->
            palette = java.util.Arrays.copyOfRange(png, data, data + length); // PLTE
          case 0x49444154 -> { // IDAT
            if (raw == null) {
              throw new UndecodableImageException("PNG image data comes before its header");
            }
            inflater.setInput(png, data, length);
            while (!inflater.needsInput() && !inflater.finished() && rawLength < raw.length) {
              int n = inflater.inflate(raw, rawLength, raw.length - rawLength);
              if (n == 0 && inflater.needsDictionary()) {
                throw new UndecodableImageException(
                    "PNG data is corrupt (zlib stream asks for a dictionary)");
              }
              rawLength += n;
            }
          }
          case 0x49454e44 -> { // IEND
            if (raw == null || rawLength < raw.length) {
              throw new UndecodableImageException("PNG data ends early");
            }
            if (colour == PALETTE && palette == null) {
              throw new UndecodableImageException("PNG palette image has no palette");
            }
            return new Pixels(
                width, height, toRgb(raw, width, height, channels, depth, colour, palette));
          }
          default -> {} // ancillary chunks (gAMA, iCCP, tRNS, text...) do not change the stored
          // samples
        }
        pos = data + length + 4; // skip CRC
      }
    } catch (DataFormatException e) {
      throw new UndecodableImageException("PNG data is corrupt (" + e.getMessage() + ")");
    } catch (RuntimeException e) {
      // A chunk whose fields point outside the data (an index out of bounds, an impossible size):
      // the bytes are not a PNG this decoder can read, which is the image's fault, never a crash.
      throw new UndecodableImageException("PNG data is corrupt (" + e + ")");
    } finally {
      inflater.end();
    }
  }

  private static byte[] toRgb(
      byte[] raw, int width, int height, int channels, int depth, int colour, byte[] palette)
      throws UndecodableImageException {
    int bpp = channels * depth / 8;
    int stride = width * bpp;
    byte[] rgb = new byte[width * height * 3];
    int step = depth / 8; // read the high byte of 16-bit samples, after rounding (below)
    for (int y = 0; y < height; y++) {
      int row = y * (stride + 1) + 1;
      unfilter(raw, raw[row - 1], row, y == 0 ? -1 : row - stride - 1, stride, bpp);
      int o = y * width * 3;
      if (colour == RGB && depth == 8) {
        System.arraycopy(raw, row, rgb, o, stride);
        continue;
      }
      for (int x = 0, p = row; x < width; x++, p += bpp, o += 3) {
        switch (colour) {
          case GREY, GREY_ALPHA -> {
            byte v = sample(raw, p, depth);
            rgb[o] = v;
            rgb[o + 1] = v;
            rgb[o + 2] = v;
          }
          case PALETTE -> {
            int i = (raw[p] & 0xff) * 3;
            if (i + 2 >= palette.length) {
              throw new UndecodableImageException(
                  "PNG pixel uses palette entry " + i / 3 + " of " + palette.length / 3);
            }
            rgb[o] = palette[i];
            rgb[o + 1] = palette[i + 1];
            rgb[o + 2] = palette[i + 2];
          }
          default -> { // RGB 16-bit, RGBA 8/16-bit
            rgb[o] = sample(raw, p, depth);
            rgb[o + 1] = sample(raw, p + step, depth);
            rgb[o + 2] = sample(raw, p + 2 * step, depth);
          }
        }
      }
    }
    return rgb;
  }

  /** 16-bit samples are rounded to 8 bits as ImageIO's path in ImagePreprocessor does. */
  private static byte sample(byte[] raw, int p, int depth) {
    if (depth == 8) {
      return raw[p];
    }
    int v = ((raw[p] & 0xff) << 8) | (raw[p + 1] & 0xff);
    return (byte) ((v * 255 + 32767) / 65535);
  }

  /**
   * Reverses the row filter in place (https://www.w3.org/TR/png-3/#9Filter-types). The first {@code bpp} bytes
   * (no left neighbour) and the first row (no row above) take their own loops, so the loops over the rest of the
   * row test nothing but the filter's arithmetic, and Paeth chooses without branches. Average and Paeth filter most
   * rows of photos; with the tests in the loop and a branching Paeth, chelsea.png took about 4.5 ms of CPU to
   * decode, 2.1 of them inflating, and now about 3.3.
   */
  private static void unfilter(byte[] b, byte filter, int row, int prev, int stride, int bpp)
      throws UndecodableImageException {
    switch (filter) {
      case 0 -> {}
      case 1 -> sub(b, row, stride, bpp);
      case 2 -> {
        if (prev >= 0) {
          for (int i = 0; i < stride; i++) {
            b[row + i] += b[prev + i];
          }
        }
      }
      case 3 -> {
        if (prev < 0) {
          for (int i = bpp; i < stride; i++) {
            b[row + i] += (byte) ((b[row + i - bpp] & 0xff) >>> 1);
          }
        } else {
          for (int i = 0; i < bpp; i++) {
            b[row + i] += (byte) ((b[prev + i] & 0xff) >>> 1);
          }
          for (int i = bpp; i < stride; i++) {
            b[row + i] += (byte) (((b[row + i - bpp] & 0xff) + (b[prev + i] & 0xff)) >>> 1);
          }
        }
      }
      case 4 -> {
        if (prev < 0) {
          sub(b, row, stride, bpp); // no row above: Paeth picks the left byte
        } else {
          for (int i = 0; i < bpp; i++) {
            b[row + i] += b[prev + i]; // no left byte: Paeth picks the one above
          }
          for (int i = bpp; i < stride; i++) {
            b[row + i] +=
                paeth(b[row + i - bpp] & 0xff, b[prev + i] & 0xff, b[prev + i - bpp] & 0xff);
          }
        }
      }
      default ->
        throw new UndecodableImageException(
            "PNG row uses filter type " + filter + ", which does not exist");
    }
  }

  private static void sub(byte[] b, int row, int stride, int bpp) {
    for (int i = bpp; i < stride; i++) {
      b[row + i] += b[row + i - bpp];
    }
  }

  /** The predictor of https://www.w3.org/TR/png-3/#9Filter-type-4-Paeth, its distances rewritten without p. */
  private static byte paeth(int left, int up, int upLeft) {
    int pa = Math.abs(up - upLeft); // |p - left|
    int pb = Math.abs(left - upLeft); // |p - up|
    int pc = Math.abs(left + up - 2 * upLeft); // |p - upLeft|
    // Branch-free (a photo's bytes make the choice unpredictable): -1 where the comparison fails.
    int notUp = (pc - pb) >> 31;
    int choice = up ^ ((up ^ upLeft) & notUp);
    int notLeft = ((pb - pa) | (pc - pa)) >> 31;
    return (byte) (left ^ ((left ^ choice) & notLeft));
  }

  private static int readInt(byte[] b, int p) {
    return ((b[p] & 0xff) << 24)
        | ((b[p + 1] & 0xff) << 16)
        | ((b[p + 2] & 0xff) << 8)
        | (b[p + 3] & 0xff);
  }
}
