package offhours.local.model;

import offhours.local.model.CenterCrop.AxisCut;
import offhours.local.model.ImagePreprocessor.Pixels;

/**
 * {@link Resample#ANTIALIAS}: Pillow's BILINEAR resize of an 8-bit RGB image, which torchvision's {@code Resize} of
 * a PIL image and Hugging Face's image processors make, computed as Pillow's {@code Resample.c} computes it so that a
 * model is fed the pixels it was evaluated with. Each output pixel's centre lies at {@code (i + 0.5) * scale} in the
 * image (its pixel edges' coordinates; {@code scale} = image pixels per output pixel), and it averages every image
 * pixel within {@code support = max(1, scale)} of that centre, weighted by a triangle as wide as the support
 * ({@code 1 - |distance| / support}), the weights divided by their sum. A shrink thus reads every pixel of the image,
 * where plain bilinear reads four per output pixel; an enlargement is plain triangle interpolation between pixel
 * centres. It runs as Pillow does: the columns first, each result rounded to 8 bits, then the rows, rounded again,
 * with the weights in Pillow's 22-bit fixed point.
 */
final class AntialiasResampler {
  /** Pillow's fixed point for 8-bit images: 32 bits less 8 for the result and 2 to spare. */
  private static final int PRECISION_BITS = 32 - 8 - 2;

  private AntialiasResampler() {}

  /**
   * The weights along one axis: output pixel {@code i} reads {@code count[i]} image pixels from {@code first[i]} on,
   * with the fixed-point weights at {@code weights[i * span]} onwards.
   */
  record Taps(int[] first, int[] count, int[] weights, int span) {}

  /** The image of {@code crop}'s region, its columns and rows scaled and cut as its {@link AxisCut}s say. */
  static Pixels resize(Pixels image, CenterCrop crop) {
    Taps across = weights(crop.columns());
    Taps down = weights(crop.rows());
    int width = crop.columns().size();
    int height = crop.rows().size();
    int rowBytes = width * 3;
    // The columns' pass of an image row is kept while output rows read it, in a ring of span rows:
    // the rows one output row reads are fewer than span, and its first row never goes back. Never
    // the pass of every row read at once, which for a thin image millions of rows tall is more
    // than an array holds.
    int ring = down.span();
    byte[] across8 = new byte[Math.multiplyExact(ring, rowBytes)];
    int[] at = new int[ring];
    int next = 0; // the first image row the columns' pass has not made
    byte[] out = new byte[height * rowBytes];
    for (int y = 0; y < height; y++) {
      int top = down.first()[y];
      int count = down.count()[y];
      for (next = Math.max(next, top); next < top + count; next++) {
        across(image, next, across, across8, (next % ring) * rowBytes);
      }
      for (int j = 0; j < count; j++) {
        at[j] = ((top + j) % ring) * rowBytes;
      }
      int k = y * down.span();
      for (int i = 0; i < rowBytes; i++) {
        int sum = 1 << (PRECISION_BITS - 1);
        for (int j = 0; j < count; j++) {
          sum += (across8[at[j] + i] & 0xff) * down.weights()[k + j];
        }
        out[y * rowBytes + i] = clip8(sum);
      }
    }
    return new Pixels(width, height, out);
  }

  /** The columns' pass of {@code image}'s row {@code row}, rounded to 8 bits, into {@code to} at {@code from}. */
  private static void across(Pixels image, int row, Taps across, byte[] to, int from) {
    byte[] src = image.rgb();
    int start = row * image.width() * 3;
    for (int x = 0; x < across.first().length; x++) {
      int k = x * across.span();
      int p = start + across.first()[x] * 3;
      int r = 1 << (PRECISION_BITS - 1), g = r, b = r;
      for (int j = 0; j < across.count()[x]; j++, p += 3) {
        int w = across.weights()[k + j];
        r += (src[p] & 0xff) * w;
        g += (src[p + 1] & 0xff) * w;
        b += (src[p + 2] & 0xff) * w;
      }
      to[from + x * 3] = clip8(r);
      to[from + x * 3 + 1] = clip8(g);
      to[from + x * 3 + 2] = clip8(b);
    }
  }

  /**
   * The weights of {@code cut}'s output pixels, each read from the image's pixels around its centre. The arithmetic
   * follows Pillow's {@code precompute_coeffs} step by step (its rounding of the bounds, the reciprocal it multiplies
   * by), so that each fixed-point weight, and so each rounded pixel, comes out as Pillow's does.
   */
  static Taps weights(AxisCut cut) {
    double scale = cut.scale();
    double filterScale = Math.max(1, scale);
    double support = filterScale; // the triangle's own support is 1, widened by the shrink
    double reciprocal = 1.0 / filterScale;
    int span = (int) Math.ceil(support) * 2 + 1;
    int out = cut.size();
    int[] first = new int[out];
    int[] count = new int[out];
    int[] weights = new int[Math.multiplyExact(out, span)];
    double[] w = new double[span];
    for (int i = 0; i < out; i++) {
      double center = (cut.offset() + i + 0.5) * scale;
      // C's (int) truncates toward zero: the bounds round half up wherever they are not cut
      // to the image.
      int lo = Math.max(0, (int) (center - support + 0.5));
      int hi = Math.min(cut.image(), (int) (center + support + 0.5));
      double total = 0;
      for (int x = lo; x < hi; x++) {
        w[x - lo] = triangle((x - center + 0.5) * reciprocal);
        total += w[x - lo];
      }
      for (int x = lo; x < hi; x++) {
        double normalised = total == 0 ? w[x - lo] : w[x - lo] / total;
        weights[i * span + x - lo] = (int) (0.5 + normalised * (1 << PRECISION_BITS));
      }
      first[i] = lo;
      count[i] = Math.max(0, hi - lo);
    }
    return new Taps(first, count, weights, span);
  }

  private static double triangle(double x) {
    double d = Math.abs(x);
    return d < 1 ? 1 - d : 0;
  }

  /** The sum's 8-bit value: its integer part in fixed point, held within 0 to 255. */
  private static byte clip8(int sum) {
    return (byte) Math.clamp(sum >> PRECISION_BITS, 0, 255);
  }
}
