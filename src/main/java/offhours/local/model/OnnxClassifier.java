package offhours.local.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import offhours.local.model.DecodeBudget.ImageTooLargeException;
import offhours.local.model.ImagePreprocessor.UndecodableImageException;
import offhours.units.Plurals;
import offhours.units.Shown;

/**
 * An ONNX image classifier in ONNX Runtime: the model checked to be one (one float32 or float16 image input; a first
 * output of the classes' scores, [N, classes], [N, classes, 1, 1] or [classes], the others not read), its images
 * decoded within a memory budget and inferred, one tensor buffer per thread. {@link OnnxContainer}
 * serves it over the SageMaker hosting contract; this class knows nothing of HTTP. A model that cannot be served fails
 * to load with what the container's start says of it.
 */
final class OnnxClassifier implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String inputName;
  private final String outputName;
  private final boolean half; // a float16 input: the tensor is converted from float32 as it is fed
  private final ImagePreprocessor preprocessor;
  private final boolean ownSize; // the input fixes its height and width: an input size adds nothing
  private final ThreadLocal<FloatBuffer> buffers;
  private final ThreadLocal<ShortBuffer> halves;
  private final long classes; // from the output shape; -1 if symbolic
  private final DecodeBudget budget;

  private OnnxClassifier(
      OrtEnvironment env,
      OrtSession session,
      String inputName,
      String outputName,
      boolean half,
      ImagePreprocessor preprocessor,
      boolean ownSize,
      long classes,
      DecodeBudget budget) {
    this.env = env;
    this.session = session;
    this.inputName = inputName;
    this.outputName = outputName;
    this.half = half;
    this.preprocessor = preprocessor;
    this.ownSize = ownSize;
    this.classes = classes;
    this.budget = budget;
    // One direct buffer per worker thread: ONNX Runtime reads it in place, no copy per request.
    this.buffers = ThreadLocal.withInitial(
        () -> ByteBuffer.allocateDirect(preprocessor.tensorSize() * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer());
    this.halves = ThreadLocal.withInitial(
        () -> ByteBuffer.allocateDirect(preprocessor.tensorSize() * Short.BYTES)
            .order(ByteOrder.nativeOrder())
            .asShortBuffer());
  }

  /**
   * Loads {@code onnxModel}, its images resized and normalized as {@code preprocessing} says, decoding within {@code
   * decodeBudgetBytes}.
   */
  static OnnxClassifier load(Path onnxModel, Preprocessing preprocessing, long decodeBudgetBytes)
      throws IOException {
    DecodeBudget budget = new DecodeBudget(decodeBudgetBytes);
    if (!Files.isRegularFile(onnxModel)) {
      throw new IOException("ONNX model " + onnxModel + " does not exist or is not a file");
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session;
    try (var options = new OrtSession.SessionOptions()) {
      // ONNX Runtime's worker threads otherwise spin after each run, taking the CPU that decoding
      // the next image needs (and that the rest of local mode needs): measured with ContainerBench.
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      session = env.createSession(onnxModel.toString(), options);
    } catch (OrtException e) {
      throw new IOException(
          "ONNX Runtime could not load " + onnxModel + ": " + e.getMessage()
              + "; give an ONNX model (a model in another format can be served by a container command"
              + " of your own, --container-command)",
          e);
    }
    try {
      if (session.getNumInputs() != 1) {
        throw new IOException(onnxModel + " has " + Plurals.of(session.getNumInputs(), "input")
            + "; an image classifier here has one, the image");
      }
      Map.Entry<String, NodeInfo> input =
          session.getInputInfo().entrySet().iterator().next();
      if (!(input.getValue().getInfo() instanceof TensorInfo in) || !isFloat(in.type)) {
        throw new IOException(onnxModel + ": input '" + input.getKey() + "' is "
            + describe(input.getValue()) + "; local mode feeds a float32 or float16 image tensor");
      }
      // The first output is the scores; a second (features, say) is not fetched.
      Map.Entry<String, NodeInfo> output =
          session.getOutputInfo().entrySet().iterator().next();
      if (!(output.getValue().getInfo() instanceof TensorInfo out) || !isFloat(out.type)) {
        throw new IOException(onnxModel + ": the first output, '" + output.getKey() + "', is "
            + describe(output.getValue()) + "; it must be the classes' float scores");
      }
      long classes = classes(onnxModel, output.getKey(), out.getShape());
      ImagePreprocessor preprocessor;
      try {
        preprocessor = InputShape.preprocessor(input.getKey(), in.getShape(), preprocessing);
      } catch (IllegalArgumentException e) {
        throw new IOException(onnxModel + ": " + e.getMessage(), e);
      }
      return new OnnxClassifier(
          env,
          session,
          input.getKey(),
          output.getKey(),
          in.type == OnnxJavaType.FLOAT16,
          preprocessor,
          InputShape.ownSize(in.getShape()),
          classes,
          budget);
    } catch (IOException | RuntimeException | OrtException e) {
      try {
        session.close();
      } catch (OrtException closing) {
        e.addSuppressed(closing);
      }
      throw notStarted(e);
    }
  }

  private static boolean isFloat(OnnxJavaType type) {
    return type == OnnxJavaType.FLOAT || type == OnnxJavaType.FLOAT16;
  }

  private static String describe(NodeInfo node) {
    return node.getInfo() instanceof TensorInfo t
        ? "a " + t.type.name().toLowerCase(Locale.ROOT) + " tensor " + Arrays.toString(t.getShape())
        : "no tensor (" + node.getInfo() + ")";
  }

  /**
   * The number of classes of a scores output: [classes], or [N, classes] after the batch with any further dimensions 1
   * (a convolutional head's [N, classes, 1, 1]); -1 when the classes' dimension is symbolic.
   */
  private static long classes(Path onnxModel, String name, long[] shape) throws IOException {
    long classes = 1;
    int found = 0;
    for (int i = shape.length == 1 ? 0 : 1; i < shape.length; i++) {
      if (shape[i] != 1) {
        classes = shape[i];
        found++;
      }
    }
    if (shape.length == 0 || found > 1) {
      throw new IOException(onnxModel + ": the first output, '" + name + "', has shape "
          + Arrays.toString(shape) + "; it must be the classes' scores, [N, classes] (or"
          + " [N, classes, 1, 1], or [classes])");
    }
    return classes;
  }

  /**
   * The failure a container's start reports for {@code e}: an IOException as it is (it says what to do), else wrapped.
   */
  static IOException notStarted(Exception e) {
    return e instanceof IOException io
        ? io
        : new IOException("could not start the model container: " + e.getMessage(), e);
  }

  /**
   * Fails, naming both counts, unless {@code labels} (read from {@code model.labels()}) has one label per class the
   * model outputs: a mismatched {@code --model}/{@code --labels} pair fails at start, not in every result.
   */
  void checkLabels(ModelFiles model, List<String> labels) throws IOException {
    if (classes > 0 && classes != labels.size()) {
      throw new IOException("labels file '" + Shown.escaped(model.labels().toString()) + "' lists "
          + Plurals.of(labels.size(), "label") + " but model file '"
          + Shown.escaped(model.onnx().toString()) + "' outputs "
          + Plurals.of(classes, "class", "classes")
          + "; give one label per output, in the model's order");
    }
  }

  /** Decodes within the memory budget (waiting for room if needed), then infers. */
  float[] classify(byte[] image)
      throws UndecodableImageException, ImageTooLargeException, InterruptedException, OrtException {
    FloatBuffer tensor = buffers.get();
    try (DecodeBudget.Lease lease = budget.admit(ImageHeader.read(image))) {
      preprocessor.preprocess(image, tensor);
    }
    return infer(tensor);
  }

  /** Inference alone on an already preprocessed tensor (the benchmark's baseline). */
  float[] infer(FloatBuffer tensor) throws OrtException {
    try (OnnxTensor input = half
            ? OnnxTensor.createTensor(
                env, toHalf(tensor), preprocessor.tensorShape(), OnnxJavaType.FLOAT16)
            : OnnxTensor.createTensor(env, tensor.rewind(), preprocessor.tensorShape());
        OrtSession.Result result = session.run(Map.of(inputName, input), Set.of(outputName))) {
      // One image's scores, whatever dimensions of 1 surround them (a float16 output is widened).
      FloatBuffer scores = ((OnnxTensor) result.get(0)).getFloatBuffer();
      float[] values = new float[scores.remaining()];
      scores.get(values);
      return values;
    }
  }

  /** {@code tensor} rounded to float16, in this thread's buffer. */
  private ShortBuffer toHalf(FloatBuffer tensor) {
    ShortBuffer out = halves.get();
    for (int i = 0, n = preprocessor.tensorSize(); i < n; i++) {
      out.put(i, Float.floatToFloat16(tensor.get(i)));
    }
    return out.rewind();
  }

  ImagePreprocessor preprocessor() {
    return preprocessor;
  }

  /** Whether the model's input fixes its own height and width, which an input size given then changes nothing of. */
  boolean ownSize() {
    return ownSize;
  }

  /** Releases the native session: only once no inference runs (closing under one would crash the JVM). */
  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("could not release the ONNX Runtime session", e);
    }
  }
}
