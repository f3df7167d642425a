package offhours.local.model;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How the built-in ONNX container turns an image into its model's input: the {@link Resize} to the input's size,
 * computed with the {@link Resample}, then the {@link Normalization} of each channel; the size is the input's own, or
 * the {@link InputSize} given where the input leaves it dynamic. A user's model gets it from four settings, NORMALIZE,
 * RESIZE, RESAMPLE and INPUT_SIZE, which the local stack carries among its model settings and gives the local
 * SageMaker model as its container's environment (a container of one's own on AWS is configured the same way);
 * absent, each is the default model's (stretch, bilinear, unit, the input's size).
 */
public record Preprocessing(
    Normalization normalization, Resize resize, Resample resample, Optional<InputSize> inputSize) {
  public static final String NORMALIZE = "NORMALIZE";
  public static final String RESIZE = "RESIZE";
  public static final String RESAMPLE = "RESAMPLE";
  public static final String INPUT_SIZE = "INPUT_SIZE";
  /** The settings, in the order of the command line's flags. */
  public static final List<String> SETTINGS = List.of(NORMALIZE, RESIZE, RESAMPLE, INPUT_SIZE);

  /** nsfwjs' own: the whole image stretched by TF.js' bilinear, RGB from 0 to 1, at the input's size. */
  public static final Preprocessing DEFAULT =
      new Preprocessing(Normalization.UNIT_SCALE, Resize.STRETCH);

  /** With TF.js' bilinear, at the size of the model's input. */
  public Preprocessing(Normalization normalization, Resize resize) {
    this(normalization, resize, Resample.BILINEAR, Optional.empty());
  }

  /** At the size of the model's input. */
  public Preprocessing(Normalization normalization, Resize resize, Resample resample) {
    this(normalization, resize, resample, Optional.empty());
  }

  /** With TF.js' bilinear. */
  public Preprocessing(Normalization normalization, Resize resize, Optional<InputSize> inputSize) {
    this(normalization, resize, Resample.BILINEAR, inputSize);
  }

  /**
   * Reads NORMALIZE, RESIZE, RESAMPLE and INPUT_SIZE from {@code settings} (other keys are ignored; an absent one is
   * the default's).
   *
   * @throws IllegalArgumentException when one is given but not readable, in the setting's name
   */
  public static Preprocessing of(Map<String, String> settings) {
    String normalize = settings.get(NORMALIZE);
    String resize = settings.get(RESIZE);
    String resample = settings.get(RESAMPLE);
    String inputSize = settings.get(INPUT_SIZE);
    return new Preprocessing(
        normalize == null ? DEFAULT.normalization() : Normalization.parse(normalize, NORMALIZE),
        resize == null ? DEFAULT.resize() : Resize.parse(resize, RESIZE),
        resample == null ? DEFAULT.resample() : Resample.parse(resample, RESAMPLE),
        Optional.ofNullable(inputSize).map(s -> InputSize.parse(s, INPUT_SIZE)));
  }

  /** The settings among {@code settings}, as given: what the ONNX container's environment carries. */
  public static Map<String, String> among(Map<String, String> settings) {
    Map<String, String> own = new LinkedHashMap<>();
    for (String setting : SETTINGS) {
      if (settings.containsKey(setting)) {
        own.put(setting, settings.get(setting));
      }
    }
    return own;
  }

  /** The command line's flag of a model setting: {@code --input-size} for INPUT_SIZE, {@code --accept} for ACCEPT. */
  public static String flag(String setting) {
    return "--" + setting.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The flags of {@code settings}, in a sentence: {@code --normalize, --resize and --input-size}. */
  public static String flags(Collection<String> settings) {
    List<String> flags = settings.stream().map(Preprocessing::flag).toList();
    return flags.size() < 2
        ? String.join("", flags)
        : String.join(", ", flags.subList(0, flags.size() - 1)) + " and " + flags.getLast();
  }
}
