package offhours.local.model;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Turns JPEG/PNG bytes into the model's input tensor the way nsfwjs does: decode to 8-bit RGB, scale to
 * [0, 1], resize the whole image (no crop) with TF.js' {@code tf.image.resizeBilinear(x, [h, w], true)}
 * (align corners), then apply the {@link Normalization}. Layout (NHWC or NCHW) and size come from the
 * model's input shape (the size from the {@link InputSize} given where the shape leaves it dynamic), so a user's own
 * ONNX model works too; a crop ({@link Resize#crop}) resizes the middle of the image that
 * {@link CenterCrop} finds instead of the whole. With {@link Resample#ANTIALIAS} the resize is Pillow's instead, as
 * torchvision and Hugging Face resize ({@link AntialiasResampler}).
 *
 * <p>Rasters are read directly (no per-pixel {@code getRGB}, which would also gamma-convert grey images);
 * the resize writes straight into the tensor buffer.
 */
final class ImagePreprocessor {
  enum Layout {
    NHWC,
    NCHW
  }

  /** Decoded image, 8-bit RGB interleaved, row-major. */
  record Pixels(int width, int height, byte[] rgb) {}

  /** The bytes are not a JPEG/PNG this preprocessor can decode; the message says why. */
  static final class UndecodableImageException extends Exception {
    UndecodableImageException(String reason) {
      super("could not decode image: " + reason);
    }
  }

  private static final float[] UNIT = new float[256];

  static {
    for (int i = 0; i < 256; i++) {
      UNIT[i] = i / 255f; // float32 division, as TF.js' div(255) on a float32 tensor
    }
  }

  private final Layout layout;
  private final int height;
  private final int width;
  // The Normalization's, read once: its accessors copy their arrays.
  private final float[] mean;
  private final float[] std;
  private final boolean identity;
  private final Resize resize;
  private final Resample resample;

  ImagePreprocessor(Layout layout, int height, int width, Preprocessing preprocessing) {
    this.layout = layout;
    this.height = height;
    this.width = width;
    this.mean = preprocessing.normalization().mean();
    this.std = preprocessing.normalization().std();
    this.identity = preprocessing.normalization().isIdentity();
    this.resize = preprocessing.resize();
    this.resample = preprocessing.resample();
  }

  Layout layout() {
    return layout;
  }

  /** Shape of a one-image batch. */
  long[] tensorShape() {
    return layout == Layout.NHWC
        ? new long[] {1, height, width, 3}
        : new long[] {1, 3, height, width};
  }

  int tensorSize() {
    return 3 * height * width;
  }

  /** Decodes and resizes into {@code out} at absolute indices [0, tensorSize()). */
  void preprocess(byte[] image, FloatBuffer out) throws UndecodableImageException {
    resize(decode(image), out);
  }

  static Pixels decode(byte[] bytes) throws UndecodableImageException {
    String format = ImageHeader.read(bytes).format();
    if (format.equals("PNG")) {
      Pixels direct = PngDecoder.decode(bytes);
      if (direct != null) {
        return direct;
      }
    }
    if (format.equals("JPEG")) {
      Pixels pixels = readImageIo(bytes, format, true);
      if (pixels != null) {
        return pixels;
      }
    }
    return readImageIo(bytes, format, false);
  }

  /**
   * Decodes with ImageIO. With {@code ownProfileConversion}, a JPEG's embedded ICC profile is converted by
   * {@link EmbeddedProfiles} instead of the reader; null when that is not possible (no such profile, or the reader
   * refuses the unconverted type: it makes a new colour space for some profiles when it reads, so its own list no
   * longer holds the type asked for).
   */
  private static Pixels readImageIo(byte[] bytes, String format, boolean ownProfileConversion)
      throws UndecodableImageException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
    if (!readers.hasNext()) {
      throw new UndecodableImageException("this Java runtime has no " + format + " reader");
    }
    ImageReader reader = readers.next();
    List<String> warnings = new ArrayList<>();
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, true, true);
      // The JPEG reader reports a truncated stream only as a warning and fills the rest with grey.
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
      if (pixels > ImageHeader.MAX_PIXELS) {
        throw new UndecodableImageException(
            reader.getWidth(0) + "x" + reader.getHeight(0) + " pixels is more than the "
                + ImageHeader.MAX_PIXELS / 1_000_000 + " megapixels this container accepts");
      }
      ImageReadParam param = reader.getDefaultReadParam();
      if (ownProfileConversion) {
        ImageTypeSpecifier unconverted = EmbeddedProfiles.unconvertedType(reader);
        if (unconverted == null) {
          return null;
        }
        param.setDestinationType(unconverted);
      }
      BufferedImage image;
      try {
        image = reader.read(0, param);
      } catch (IIOException e) {
        if (!ownProfileConversion) {
          throw e;
        }
        // The type was refused, or the data is corrupt: the reader's own path gives the answer
        // (and the message) it always gave. A truncated scan is a warning, not this, so it is
        // not decoded twice.
        return null;
      }
      if (!warnings.isEmpty()) {
        String w = warnings.get(0);
        boolean truncated = w.contains("Truncated") || w.contains("Premature end");
        throw new UndecodableImageException(
            format + " data " + (truncated ? "ends early" : "is damaged") + " (" + w + ")");
      }
      if (ownProfileConversion) {
        // The read succeeded, so the destination's colour space is the reader's profile space
        // and the reader converted nothing: this is the conversion it would have made.
        image = EmbeddedProfiles.toSrgb(image);
      }
      return new Pixels(image.getWidth(), image.getHeight(), toRgb(image));
    } catch (IOException | RuntimeException e) {
      // ImageIO signals corrupt data with IIOException and, for some PNG chunks, runtime
      // exceptions.
      throw new UndecodableImageException(
          format + " data is corrupt or truncated (" + describe(e) + ")");
    } finally {
      reader.dispose();
    }
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
  }

  /** 8-bit RGB from the raster, ignoring alpha (as TF.js' fromPixels with 3 channels does). */
  static byte[] toRgb(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    Raster raster = image.getRaster();
    ColorModel cm = image.getColorModel();
    if (cm instanceof IndexColorModel icm) {
      // Palette PNGs and grey PNGs of 1, 2 or 4 bits.
      int n = icm.getMapSize();
      byte[] r = new byte[n], g = new byte[n], b = new byte[n];
      icm.getReds(r);
      icm.getGreens(g);
      icm.getBlues(b);
      int[] row = new int[w];
      for (int y = 0, o = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++, o += 3) {
          int i = row[x];
          rgb[o] = r[i];
          rgb[o + 1] = g[i];
          rgb[o + 2] = b[i];
        }
      }
      return rgb;
    }
    if (cm instanceof ComponentColorModel
        && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm
        && raster.getParent() == null
        && (cm.getColorSpace().getType() == ColorSpace.TYPE_RGB
            || cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY)) {
      int colors = cm.getNumColorComponents();
      int[] offsets = sm.getBandOffsets();
      int r = offsets[0], g = offsets[colors == 1 ? 0 : 1], b = offsets[colors == 1 ? 0 : 2];
      int pixelStride = sm.getPixelStride();
      int scanline = sm.getScanlineStride();
      if (raster.getDataBuffer() instanceof DataBufferByte db) {
        byte[] d = db.getData();
        int base = db.getOffset();
        for (int y = 0, o = 0; y < h; y++) {
          for (int x = 0, p = base + y * scanline; x < w; x++, p += pixelStride, o += 3) {
            rgb[o] = d[p + r];
            rgb[o + 1] = d[p + g];
            rgb[o + 2] = d[p + b];
          }
        }
        return rgb;
      }
      if (raster.getDataBuffer() instanceof DataBufferUShort db) {
        // 16-bit PNGs: round to 8 bits, as browsers do when drawing them.
        short[] d = db.getData();
        int base = db.getOffset();
        for (int y = 0, o = 0; y < h; y++) {
          for (int x = 0, p = base + y * scanline; x < w; x++, p += pixelStride, o += 3) {
            rgb[o] = to8(d[p + r]);
            rgb[o + 1] = to8(d[p + g]);
            rgb[o + 2] = to8(d[p + b]);
          }
        }
        return rgb;
      }
    }
    // Anything else (packed int rasters, unusual colour spaces): let Java2D convert, one row at a
    // time.
    int[] row = new int[w];
    for (int y = 0, o = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++, o += 3) {
        rgb[o] = (byte) (row[x] >> 16);
        rgb[o + 1] = (byte) (row[x] >> 8);
        rgb[o + 2] = (byte) row[x];
      }
    }
    return rgb;
  }

  private static byte to8(short v) {
    return (byte) (((v & 0xffff) * 255 + 32767) / 65535);
  }

  /** Resizes {@code p} to the input's size as the {@link Resample} says, into {@code out}. */
  void resize(Pixels p, FloatBuffer out) {
    if (resample == Resample.ANTIALIAS) {
      CenterCrop region = resize.crop()
          ? CenterCrop.of(p.width(), p.height(), width, height, resize.fraction())
          : CenterCrop.stretch(p.width(), p.height(), width, height);
      write(AntialiasResampler.resize(p, region), out);
    } else {
      bilinear(p, out);
    }
  }

  /** Writes pixels of the input's size into the tensor, scaled to [0, 1] and normalized. */
  private void write(Pixels p, FloatBuffer out) {
    byte[] src = p.rgb();
    int plane = height * width;
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) {
        put(out, i, c, UNIT[src[i * 3 + c] & 0xff]);
      }
    }
  }

  /**
   * Puts channel {@code c} of the input's pixel {@code pixel} (counted row by row), {@code v} from 0 to 1, into the
   * tensor, normalized, where the layout places it.
   */
  private void put(FloatBuffer out, int pixel, int c, float v) {
    out.put(
        layout == Layout.NHWC ? pixel * 3 + c : c * height * width + pixel,
        identity ? v : (v - mean[c]) / std[c]);
  }

  /**
   * TF.js' CPU resizeBilinear with alignCorners=true and halfPixelCenters=false: source coordinate =
   * out * (in - 1) / (outSize - 1); interpolate horizontally, then vertically, in double precision
   * (https://github.com/tensorflow/tfjs/blob/master/tfjs-backend-cpu/src/kernels/ResizeBilinear.ts).
   */
  private void bilinear(Pixels p, FloatBuffer out) {
    // The part of the image resized: all of it, or with CROP the middle that CenterCrop finds.
    double fromX = 0, fromY = 0, usedWidth = p.width(), usedHeight = p.height();
    if (resize.crop()) {
      CenterCrop crop = CenterCrop.of(p.width(), p.height(), width, height, resize.fraction());
      fromX = crop.left();
      fromY = crop.top();
      usedWidth = crop.width();
      usedHeight = crop.height();
    }
    int[] x0 = new int[width], x1 = new int[width];
    double[] fx = new double[width];
    axis(p.width(), fromX, usedWidth, width, x0, x1, fx);
    int[] y0 = new int[height], y1 = new int[height];
    double[] fy = new double[height];
    axis(p.height(), fromY, usedHeight, height, y0, y1, fy);
    byte[] src = p.rgb();
    int rowStride = p.width() * 3;
    for (int y = 0; y < height; y++) {
      int top = y0[y] * rowStride, bottom = y1[y] * rowStride;
      double dy = fy[y];
      for (int x = 0; x < width; x++) {
        int left = x0[x] * 3, right = x1[x] * 3;
        double dx = fx[x];
        for (int c = 0; c < 3; c++) {
          double tl = UNIT[src[top + left + c] & 0xff], tr = UNIT[src[top + right + c] & 0xff];
          double bl = UNIT[src[bottom + left + c] & 0xff],
              br = UNIT[src[bottom + right + c] & 0xff];
          double t = tl + (tr - tl) * dx;
          double b = bl + (br - bl) * dx;
          put(out, y * width + x, c, (float) (t + (b - t) * dy));
        }
      }
    }
  }

  /**
   * Samples {@code used} pixels of {@code in} from {@code offset} (all of them, or a crop's), {@code out} times along
   * one axis.
   */
  private static void axis(
      int in, double offset, double used, int out, int[] lo, int[] hi, double[] frac) {
    // With align corners the first and last samples hit the first and last pixels used exactly; a
    // one-pixel output falls back to in/out as TF.js does. Equal sizes give scale 1 (an identity
    // copy).
    double scale = out > 1 ? (used - 1) / (out - 1) : used / out;
    for (int i = 0; i < out; i++) {
      // Within the image: a crop of less than a pixel (a sliver of an image) samples backwards.
      double source = Math.clamp(offset + scale * i, 0, in - 1);
      int floor = (int) Math.floor(source);
      lo[i] = floor;
      hi[i] = Math.min(in - 1, (int) Math.ceil(source));
      frac[i] = source - floor;
    }
  }
}
