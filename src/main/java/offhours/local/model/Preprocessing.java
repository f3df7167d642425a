package offhours.local.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the built-in ONNX container turns an image into its model's input: the {@link Resize} to the input's size, then
 * the {@link Normalization} of each channel. A user's model gets it from two settings, NORMALIZE and RESIZE, which the
 * local stack carries among its model settings and gives the local SageMaker model as its container's environment (a
 * container of one's own on AWS is configured the same way); absent, each is the default model's (stretch, unit).
 */
public record Preprocessing(Normalization normalization, Resize resize) {
  public static final String NORMALIZE = "NORMALIZE";
  public static final String RESIZE = "RESIZE";
  /** The settings, in the order of the command line's flags. */
  public static final List<String> SETTINGS = List.of(NORMALIZE, RESIZE);

  /** nsfwjs' own: the whole image stretched, RGB from 0 to 1. */
  public static final Preprocessing DEFAULT =
      new Preprocessing(Normalization.UNIT_SCALE, Resize.STRETCH);

  /**
   * Reads NORMALIZE and RESIZE from {@code settings} (other keys are ignored; an absent one is the default's).
   *
   * @throws IllegalArgumentException when one is given but not readable, in the setting's name
   */
  public static Preprocessing of(Map<String, String> settings) {
    String normalize = settings.get(NORMALIZE);
    String resize = settings.get(RESIZE);
    return new Preprocessing(
        normalize == null ? DEFAULT.normalization() : Normalization.parse(normalize, NORMALIZE),
        resize == null ? DEFAULT.resize() : Resize.parse(resize, RESIZE));
  }

  /** The NORMALIZE and RESIZE among {@code settings}, as given: what the ONNX container's environment carries. */
  public static Map<String, String> among(Map<String, String> settings) {
    Map<String, String> own = new LinkedHashMap<>();
    for (String setting : SETTINGS) {
      if (settings.containsKey(setting)) {
        own.put(setting, settings.get(setting));
      }
    }
    return own;
  }
}
