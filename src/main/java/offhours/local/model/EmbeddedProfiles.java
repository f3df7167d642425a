package offhours.local.model;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;

/**
 * The colour conversion of a JPEG with an embedded ICC profile, done as ImageIO's JPEG reader does it (a
 * {@link ColorConvertOp} from the profile to sRGB over the decoded RGB raster) but with the conversion kept per
 * thread for the next image with the same profile. The reader builds a new one for every image: building it (Little
 * CMS links the two profiles and precomputes a lookup table) cost about 4 ms of CPU per skimage rocket photo
 * (640x427, Adobe RGB profile), about as much as the JPEG decoding itself; applying it costs about 2.5 ms. Same op,
 * same pixels: a test compares every pixel with ImageIO's own conversion.
 */
final class EmbeddedProfiles {
  /** Distinct profiles kept per thread; a camera or an editor embeds the same one in every photo. */
  private static final int KEPT = 8;

  private static final ColorSpace SRGB = ColorSpace.getInstance(ColorSpace.CS_sRGB);

  // ColorConvertOp keeps its Little CMS transforms in fields it does not guard: one per thread.
  private static final ThreadLocal<Map<ByteBuffer, ColorConvertOp>> OPS =
      ThreadLocal.withInitial(() -> new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, ColorConvertOp> eldest) {
          return size() > KEPT;
        }
      });

  private EmbeddedProfiles() {}

  /**
   * The destination type that makes {@code reader} skip its own profile conversion, or null when it would convert
   * nothing or something this class does not redo (no profile, a grey or CMYK JPEG). ImageIO's JPEG reader lists the
   * sRGB type first and, when the file embeds a 3-component profile, a type in that profile's colour space next; it
   * converts only into a destination whose colour space is not the profile's.
   */
  static ImageTypeSpecifier unconvertedType(ImageReader reader) throws IOException {
    Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
    if (!types.hasNext() || !isSrgbRgb(types.next())) {
      return null;
    }
    while (types.hasNext()) {
      ImageTypeSpecifier type = types.next();
      if (type.getColorModel().getColorSpace() instanceof ICC_ColorSpace cs
          && !cs.isCS_sRGB()
          && type.getColorModel().getNumComponents() == 3
          && type.getSampleModel().getDataType() == DataBuffer.TYPE_BYTE) {
        return type;
      }
    }
    return null;
  }

  /** Converts {@code image}, read in {@link #unconvertedType}, to sRGB in place and labels it so. */
  static BufferedImage toSrgb(BufferedImage image) {
    ICC_ColorSpace profile = (ICC_ColorSpace) image.getColorModel().getColorSpace();
    ByteBuffer key = ByteBuffer.wrap(profile.getProfile().getData());
    ColorConvertOp op =
        OPS.get().computeIfAbsent(key, k -> new ColorConvertOp(profile, SRGB, null));
    WritableRaster raster = image.getRaster();
    op.filter(raster, raster);
    var srgb =
        new ComponentColorModel(SRGB, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    return new BufferedImage(srgb, raster, false, null);
  }

  private static boolean isSrgbRgb(ImageTypeSpecifier type) {
    return type.getColorModel().getColorSpace().isCS_sRGB()
        && type.getColorModel().getNumComponents() == 3;
  }
}
