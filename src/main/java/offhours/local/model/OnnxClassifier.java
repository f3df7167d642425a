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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import offhours.local.model.DecodeBudget.ImageTooLargeException;
import offhours.local.model.ImagePreprocessor.UndecodableImageException;
import offhours.units.Plurals;
import offhours.units.Shown;

/**
 * An ONNX image classifier in ONNX Runtime: the model checked to be one (one float32 input, a float32 [N, classes]
 * output), its images decoded within a memory budget and inferred, one tensor buffer per thread. {@link OnnxContainer}
 * serves it over the SageMaker hosting contract; this class knows nothing of HTTP. A model that cannot be served fails
 * to load with what the container's start says of it.
 */
final class OnnxClassifier implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String inputName;
  private final ImagePreprocessor preprocessor;
  private final ThreadLocal<FloatBuffer> buffers;
  private final long classes; // from the output shape; -1 if symbolic
  private final DecodeBudget budget;

  private OnnxClassifier(
      OrtEnvironment env,
      OrtSession session,
      String inputName,
      ImagePreprocessor preprocessor,
      long classes,
      DecodeBudget budget) {
    this.env = env;
    this.session = session;
    this.inputName = inputName;
    this.preprocessor = preprocessor;
    this.classes = classes;
    this.budget = budget;
    // One direct buffer per worker thread: ONNX Runtime reads it in place, no copy per request.
    this.buffers = ThreadLocal.withInitial(
        () -> ByteBuffer.allocateDirect(preprocessor.tensorSize() * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer());
  }

  /**
   * Loads {@code onnxModel}, its pixels normalized by {@code normalization}, decoding within {@code decodeBudgetBytes}.
   */
  static OnnxClassifier load(Path onnxModel, Normalization normalization, long decodeBudgetBytes)
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
      Map.Entry<String, NodeInfo> input =
          session.getInputInfo().entrySet().iterator().next();
      if (session.getNumInputs() != 1
          || !(input.getValue().getInfo() instanceof TensorInfo in)
          || in.type != OnnxJavaType.FLOAT) {
        throw new IOException(onnxModel + " has " + Plurals.of(session.getNumInputs(), "input")
            + "; an image classifier here has" + " one float32 tensor input");
      }
      if (!(session.getOutputInfo().values().iterator().next().getInfo() instanceof TensorInfo out)
          || out.getShape().length != 2
          || out.type != OnnxJavaType.FLOAT) {
        throw new IOException(
            onnxModel + ": the first output must be a float32 [N, classes] tensor");
      }
      ImagePreprocessor preprocessor;
      try {
        preprocessor =
            ImagePreprocessor.forInputShape(input.getKey(), in.getShape(), normalization);
      } catch (IllegalArgumentException e) {
        throw new IOException(onnxModel + ": " + e.getMessage(), e);
      }
      return new OnnxClassifier(
          env, session, input.getKey(), preprocessor, out.getShape()[1], budget);
    } catch (IOException | RuntimeException | OrtException e) {
      try {
        session.close();
      } catch (OrtException closing) {
        e.addSuppressed(closing);
      }
      throw notStarted(e);
    }
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
    try (OnnxTensor input =
            OnnxTensor.createTensor(env, tensor.rewind(), preprocessor.tensorShape());
        OrtSession.Result result = session.run(Map.of(inputName, input))) {
      return ((float[][]) result.get(0).getValue())[0];
    }
  }

  ImagePreprocessor preprocessor() {
    return preprocessor;
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
