package offhours.local.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
   * reads says: without it the input is refused, and a fixed size it does not match is refused naming both, as is a
   * fixed side over {@link InputSize#MAX_SIDE}, the bound of the size given. The layout
   * is decided by a 3 fixed at one end alone, or by channels, height and width all dynamic (as {@code optimum} writes),
   * taken as NCHW, PyTorch's order, of 3 channels; any other shape leaves it ambiguous and is refused, never guessed.
   */
  static ImagePreprocessor preprocessor(String input, long[] shape, Preprocessing preprocessing) {
    if (shape.length == 4 && (shape[1] == 0 || shape[2] == 0 || shape[3] == 0)) {
      throw new IllegalArgumentException("model input '" + input + "' has shape "
          + Arrays.toString(shape) + ": " + zero(shape)
          + " 0, where an RGB image has 3 channels and"
          + " at least one pixel a side; export the model at the size it was trained at, as"
          + " [N,3,H,W] or [N,H,W,3]");
    }
    Layout layout = layout(input, shape);
    if (layout == null) {
      throw new IllegalArgumentException("model input '" + input + "' has shape "
          + Arrays.toString(shape) + "; expected an RGB image tensor [N,H,W,3] or [N,3,H,W]");
    }
    int first = layout == Layout.NHWC ? 1 : 2;
    long height = shape[first];
    long width = shape[first + 1];
    if (height > InputSize.MAX_SIDE || width > InputSize.MAX_SIDE) {
      // Each image would be fed a tensor of that size, as an --input-size beyond the bound would.
      boolean both = height > InputSize.MAX_SIDE && width > InputSize.MAX_SIDE;
      String what = both ? "height and width" : height > InputSize.MAX_SIDE ? "height" : "width";
      throw new IllegalArgumentException("model input '" + input + "' has shape "
          + Arrays.toString(shape) + ", its " + what + " fixed at "
          + (both ? height + "x" + width : Math.max(height, width)) + ", more than the "
          + InputSize.MAX_SIDE + " per side local mode feeds an image at; export the model at the"
          + " size it was trained at");
    }
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
   * Whether an input of {@code shape}, one {@link #preprocessor} took, fixes its own height and width, so that an
   * {@link InputSize} given (the same, else refused) changes nothing of what it is fed: its channels are a fixed 3 or,
   * dynamic, taken with its height and width, so every dimension but the batch is then fixed.
   */
  static boolean ownSize(long[] shape) {
    return shape[1] > 0 && shape[2] > 0 && shape[3] > 0;
  }

  /**
   * The layout of a 4-dimensional input, where the shape decides it: a 3 fixed at one end alone is the channels, and
   * channels, height and width all dynamic are taken as NCHW. Null for no RGB image: both ends fixed at no 3, or one
   * end dynamic beside the other fixed as an image's channels not RGB.
   *
   * @throws IllegalArgumentException where the shape leaves the channels' end ambiguous: 3 at both ends, or no 3 at
   *     either end and one of them dynamic, whose other end may be the image's channels or its size
   */
  private static Layout layout(String input, long[] shape) {
    if (shape.length != 4 || shape[1] == 0 || shape[2] == 0 || shape[3] == 0) {
      return null;
    }
    if (shape[1] == 3 && shape[3] == 3) {
      // A middle that is fixed makes both sides fixed, one of them at 3 pixels: fixing them is no
      // advice, the size the model was trained at is.
      throw ambiguous(
          input,
          shape,
          "both its ends are 3",
          shape[2] > 0
              ? "at the size it was trained at (either way one of its sides is 3 pixels)"
              : "with its height and width fixed at the size it was trained at");
    }
    if (shape[1] == 3 || shape[3] == 3) {
      return shape[1] == 3 ? Layout.NCHW : Layout.NHWC;
    }
    if (shape[1] < 0 && shape[2] < 0 && shape[3] < 0) {
      return Layout.NCHW; // as optimum writes [batch_size, num_channels, height, width]
    }
    if ((shape[1] > 0 && shape[3] > 0) || otherChannels(shape[1]) || otherChannels(shape[3])) {
      return null;
    }
    throw ambiguous(input, shape, "neither end is a fixed 3", "with its channels fixed at 3");
  }

  private static IllegalArgumentException ambiguous(
      String input, long[] shape, String why, String export) {
    return new IllegalArgumentException("model input '" + input + "' has shape "
        + Arrays.toString(shape) + ": " + why + ", so whether its channels come first [N,C,H,W] or"
        + " last [N,H,W,C] is ambiguous; export the model " + export + ", as [N,3,H,W] or"
        + " [N,H,W,3]");
  }

  /**
   * Whether a fixed end beside a dynamic one reads as the channels of an image not RGB (grey 1, grey and alpha 2, RGBA
   * 4): such an input is refused as no RGB image, the more telling refusal, rather than as ambiguous.
   */
  private static boolean otherChannels(long end) {
    return end == 1 || end == 2 || end == 4;
  }

  /**
   * What of a 4-dimensional {@code shape} is 0, in words: its height or width where a 3 at one end alone says which
   * they are, else its dimensions by index (counting from 0).
   */
  private static String zero(long[] shape) {
    if ((shape[1] == 3) != (shape[3] == 3)) {
      int first = shape[3] == 3 ? 1 : 2;
      boolean height = shape[first] == 0;
      boolean width = shape[first + 1] == 0;
      return "its "
          + (height && width ? "height and width are" : height ? "height is" : "width is");
    }
    List<String> zeros = new ArrayList<>();
    for (int i = 1; i < 4; i++) {
      if (shape[i] == 0) {
        zeros.add(Integer.toString(i));
      }
    }
    return zeros.size() == 1
        ? "its dimension " + zeros.getFirst() + " (counting from 0) is"
        : "its dimensions " + String.join(" and ", zeros) + " (counting from 0) are";
  }

  private static String dynamic(long height, long width) {
    if (height > 0) {
      return "width";
    }
    return width > 0 ? "height" : "height and width";
  }
}
