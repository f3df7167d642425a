package offhours.local.model;

import java.util.Arrays;
import offhours.local.model.ImagePreprocessor.Layout;

/**
 * How an ONNX model's input shape, such as [-1,224,224,3] or [1,3,224,224], is fed: its layout (NHWC or NCHW), and
 * its height and width, the input's own or, where it leaves them dynamic, the {@link InputSize} given.
 */
final class InputShape {
  private InputShape() {}

  /**
   * The preprocessor of an input of {@code shape}, resized as {@code preprocessing} says. A height or width
   * left dynamic (a symbolic dimension, as {@code optimum} and {@code torch.onnx.export} with {@code dynamic_axes}
   * write) takes the preprocessing's {@link InputSize}, the size the model was trained at, which no file local mode
   * reads says: without it the input is refused, and a fixed size it does not match is refused naming both. Where the
   * channels are dynamic too, the channels' position decides: fixed as 3 it gives the layout; dynamic at both ends (all
   * four dimensions symbolic, as {@code optimum} writes) the input is taken as NCHW, PyTorch's order, of 3 channels.
   */
  static ImagePreprocessor preprocessor(String input, long[] shape, Preprocessing preprocessing) {
    Layout layout = layout(shape);
    if (layout == null) {
      throw new IllegalArgumentException("model input '" + input + "' has shape "
          + Arrays.toString(shape) + "; expected an RGB image tensor [N,H,W,3] or [N,3,H,W]");
    }
    int first = layout == Layout.NHWC ? 1 : 2;
    long height = shape[first];
    long width = shape[first + 1];
    InputSize given = preprocessing.inputSize().orElse(null);
    if (given == null) {
      if (height > 0 && width > 0) {
        return new ImagePreprocessor(layout, (int) height, (int) width, preprocessing);
      }
      throw new IllegalArgumentException(
          "model input '" + input + "' has shape "
              + Arrays.toString(shape) + ", its " + dynamic(height, width) + " dynamic (-1): give "
              + Preprocessing.flag(Preprocessing.INPUT_SIZE)
              + " the size the model was trained at, as"
              + " 224 or HEIGHTxWIDTH (a Hugging Face model's preprocessor_config.json says it as size)");
    }
    if ((height > 0 && height != given.height()) || (width > 0 && width != given.width())) {
      boolean both = height > 0 && width > 0;
      String what = both ? "height and width" : height > 0 ? "height" : "width";
      throw new IllegalArgumentException("model input '" + input + "' has shape "
          + Arrays.toString(shape) + ", its " + what + " fixed at "
          + (both ? height + "x" + width : height > 0 ? height : width) + ", but "
          + Preprocessing.flag(Preprocessing.INPUT_SIZE) + " is " + given.height() + "x"
          + given.width() + "; give " + (both ? "the same, or leave it out" : "that " + what));
    }
    return new ImagePreprocessor(layout, given.height(), given.width(), preprocessing);
  }

  /**
   * The layout of a 4-dimensional input: where 3 channels are, a dynamic channel taken where the other end cannot be
   * them; null for no image input.
   */
  private static Layout layout(long[] shape) {
    if (shape.length != 4 || shape[1] == 0 || shape[2] == 0 || shape[3] == 0) {
      return null;
    }
    // 3 channels at both ends: NHWC where H and W are then fixed, else NCHW, as it always was.
    if (shape[3] == 3 && (shape[1] != 3 || (shape[1] > 0 && shape[2] > 0))) {
      return Layout.NHWC;
    }
    if (shape[1] == 3) {
      return Layout.NCHW;
    }
    if (shape[1] < 0 && !otherChannels(shape[3])) {
      return Layout.NCHW; // [N,?,H,W]: PyTorch's order, the channels dynamic
    }
    if (shape[3] < 0 && shape[1] > 0 && !otherChannels(shape[1])) {
      return Layout.NHWC; // [N,H,W,?] with H fixed, not 3: the channels last
    }
    return null;
  }

  /**
   * Whether a fixed end is the channels of an image not RGB (grey 1, grey and alpha 2, RGBA 4) rather than a height or
   * width: the dynamic end is then the image's size, not its channels.
   */
  private static boolean otherChannels(long end) {
    return end == 1 || end == 2 || end == 4;
  }

  private static String dynamic(long height, long width) {
    if (height > 0) {
      return "width";
    }
    return width > 0 ? "height" : "height and width";
  }
}
