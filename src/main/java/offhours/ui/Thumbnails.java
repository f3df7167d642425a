package offhours.ui;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import offhours.inference.ImageFormat;

/**
 * Small JPEGs of uploads for the page. Objects are untrusted: only JPEG and PNG are decoded, the declared size is
 * checked before any pixel is read (a 100,000 x 100,000 PNG of a few KB would otherwise fill the heap), an image is
 * decoded subsampled to at most twice a thumbnail's size (memory per request stays a few MB however large it is), and
 * the page always gets a fresh JPEG with our content type, never the object's bytes or its Content-Type.
 */
final class Thumbnails {

  /** The longest side of a thumbnail, in pixels. */
  static final int SIZE = 360;
  /** The most pixels decoded for one thumbnail. */
  private static final long MAX_PIXELS = 50_000_000;
  /** The longest side decoded (JPEG's own limit). */
  private static final int MAX_SIDE = 65_535;

  private Thumbnails() {}

  /** The thumbnail of {@code image}; a refusal (IllegalArgumentException) says why there is none. */
  static byte[] of(byte[] image) throws IOException {
    BufferedImage source = decode(image);
    double scale = Math.min(1.0, (double) SIZE / Math.max(source.getWidth(), source.getHeight()));
    int width = Math.max(1, (int) Math.round(source.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(source.getHeight() * scale));
    BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = small.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.setColor(java.awt.Color.WHITE); // transparent PNGs on white
      g.fillRect(0, 0, width, height);
      g.drawImage(source, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return jpeg(small);
  }

  /**
   * {@code image} decoded at most twice a thumbnail's size: the reader keeps only every n-th pixel of every n-th
   * row, so a large image never sits in memory whole (50 MP of RGB would be 150 MB per request thread).
   */
  static BufferedImage decode(byte[] image) {
    if (image.length == 0) {
      // Nothing to look at: the upload wrote no bytes, which is not a question of format.
      throw new IllegalArgumentException("the object is empty (0 bytes)");
    }
    ImageFormat format = ImageFormat.of(image);
    if (format == null) {
      throw new IllegalArgumentException("not a JPEG or PNG image");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(format.mediaType());
      if (!readers.hasNext()) {
        throw new IllegalArgumentException("no " + format + " reader");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        long pixels = (long) width * height;
        if (pixels > MAX_PIXELS) {
          throw new IllegalArgumentException(
              "the image has " + pixels + " pixels; thumbnails stop at " + MAX_PIXELS);
        }
        if (Math.max(width, height) > MAX_SIDE) {
          // A reader still holds one whole row: a 50,000,000 x 1 PNG's row is hundreds of MB.
          throw new IllegalArgumentException("the image is " + width + " x " + height
              + " pixels; thumbnails stop at " + MAX_SIDE + " pixels a side");
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int step = subsampling(width, height);
        param.setSourceSubsampling(step, step, 0, 0);
        return reader.read(0, param);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException refusal) {
        throw refusal;
      }
      throw new IllegalArgumentException("the image cannot be decoded: " + e.getMessage());
    }
  }

  /** Every how many pixels a side is read so that the longest decoded side is at most twice {@link #SIZE}. */
  static int subsampling(int width, int height) {
    int longest = Math.max(width, height);
    return Math.max(1, (longest + 2 * SIZE - 1) / (2 * SIZE));
  }

  private static byte[] jpeg(BufferedImage image) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.85f);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
