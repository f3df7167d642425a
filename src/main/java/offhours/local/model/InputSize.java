package offhours.local.model;

import offhours.units.Shown;
import offhours.units.WholeNumbers;

/**
 * The height and width an ONNX model is fed where its input leaves them dynamic (the INPUT_SIZE setting), as
 * {@code optimum} and {@code torch.onnx.export} with {@code dynamic_axes} export a classifier: the size it was
 * trained at, which no file local mode reads says.
 */
public record InputSize(int height, int width) {
  /**
   * The largest side taken, given or fixed by a model's input (InputShape): a tensor of 3 x 4096 x 4096 floats is
   * already 200 MB per worker thread.
   */
  public static final int MAX_SIDE = 4096;

  /** The setting's spellings, for the messages that refuse another. */
  public static final String FORMS =
      "a side such as 224 for a square, or HEIGHTxWIDTH such as 384x288, each from 1 to " + MAX_SIDE
          + " in " + WholeNumbers.FORM;

  public InputSize {
    if (height < 1 || width < 1 || height > MAX_SIDE || width > MAX_SIDE) {
      throw new IllegalArgumentException(
          "an input size needs each side from 1 to " + MAX_SIDE + ", got " + height + "x" + width);
    }
  }

  /**
   * Reads the INPUT_SIZE setting: {@code 224} (a square) or {@code HEIGHTxWIDTH} such as {@code 384x288}, each side
   * {@link WholeNumbers}' digits from 1 to {@link #MAX_SIDE}. {@code name} is the setting's name, which begins each
   * message of refusal.
   *
   * @throws IllegalArgumentException naming what is wrong, the value shown escaped
   */
  public static InputSize parse(String text, String name) {
    String[] sides = text.split("x", -1);
    if (sides.length > 2) {
      throw refused(text, name);
    }
    int height = side(sides[0], text, name);
    int width = sides.length == 1 ? height : side(sides[1], text, name);
    return new InputSize(height, width);
  }

  private static int side(String digits, String text, String name) {
    if (!WholeNumbers.isDigits(digits)) {
      throw refused(text, name);
    }
    long n;
    try {
      n = WholeNumbers.parse(digits);
    } catch (NumberFormatException beyondALong) {
      n = Long.MAX_VALUE; // digits too, only more than the bound
    }
    if (n < 1 || n > MAX_SIDE) {
      throw new IllegalArgumentException(
          name + " needs each side from 1 to " + MAX_SIDE + ", got '" + Shown.value(text) + "'");
    }
    return (int) n;
  }

  private static IllegalArgumentException refused(String text, String name) {
    return new IllegalArgumentException(
        name + " must be " + FORMS + ", got '" + Shown.value(text) + "'");
  }

  /** How {@link #parse} reads this back: {@code 224} for a square, else {@code 384x288}. */
  public String spelling() {
    return height == width ? Integer.toString(height) : height + "x" + width;
  }
}
