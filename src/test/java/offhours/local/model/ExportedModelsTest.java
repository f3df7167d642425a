package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ONNX classifiers exported by torch.onnx.export, timm or optimum have that the default model has not, each in a
 * tiny graph of its own: the scores as [N, classes, 1, 1] or [classes], a second output, float16, a dynamic image
 * size, an input of another type. Each graph answers the mean of each input channel, so the numbers say what the model
 * was fed.
 */
class ExportedModelsTest {
  private static final long BUDGET = 1 << 26;

  @TempDir
  Path dir;

  /** A 20x10 PNG of one colour, R 255, G 0, B 51: channel means 1, 0 and 0.2 at unit scale. */
  private static byte[] red() throws IOException {
    BufferedImage image = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(new Color(255, 0, 51));
    g.fillRect(0, 0, 20, 10);
    g.dispose();
    var png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    return png.toByteArray();
  }

  private Path write(OnnxGraphBuilder graph, String name) throws IOException {
    return Files.write(dir.resolve(name + ".onnx"), graph.build(name, "test", name));
  }

  private static float[] classify(Path model) throws Exception {
    try (OnnxClassifier classifier = OnnxClassifier.load(model, Preprocessing.DEFAULT, BUDGET)) {
      return classifier.classify(red());
    }
  }

  /** x [N,3,4,4] pooled to the channel means [N,3,1,1], as {@code pooled}. */
  private static OnnxGraphBuilder pooling(Object... inputDims) {
    var graph = new OnnxGraphBuilder();
    graph.floatInput("x", inputDims);
    graph.node("GlobalAveragePool", "pool", List.of("x"), List.of("pooled"));
    return graph;
  }

  @Test
  void scoresOfAConvolutionalHeadNByClassesByOneByOneAreRead() throws Exception {
    var graph = pooling("N", 3L, 4L, 4L);
    graph.floatOutput("pooled", "N", 3L, 1L, 1L);
    Path model = write(graph, "conv_head");

    assertThat(classify(model)).containsExactly(new float[] {1f, 0f, 0.2f}, within(1e-6f));
    Path labels = Files.writeString(dir.resolve("labels.txt"), "a\nb\n");
    assertThatThrownBy(
            () -> OnnxContainer.checkLabels(new ModelFiles(model, labels), Preprocessing.DEFAULT))
        .as("its classes are counted from the dimension that is not 1")
        .hasMessageContaining("lists 2 labels but model file '" + model + "' outputs 3 classes");
  }

  @Test
  void scoresWithoutABatchDimensionAreRead() throws Exception {
    var graph = pooling(1L, 3L, 4L, 4L);
    graph.int64Initializer("shape", new long[] {1}, new long[] {3});
    graph.node("Reshape", "flat", List.of("pooled", "shape"), List.of("scores"));
    graph.floatOutput("scores", 3L);

    assertThat(classify(write(graph, "no_batch")))
        .containsExactly(new float[] {1f, 0f, 0.2f}, within(1e-6f));
  }

  @Test
  void anOutputOfMoreThanOneDimensionBesidesTheBatchIsRefusedNamingIt() throws Exception {
    var graph = new OnnxGraphBuilder();
    graph.floatInput("x", "N", 3L, 4L, 4L);
    graph.node("Identity", "same", List.of("x"), List.of("map"));
    graph.floatOutput("map", "N", 3L, 4L, 4L);
    Path model = write(graph, "segmenter");

    assertThatThrownBy(() -> classify(model))
        .isInstanceOf(IOException.class)
        .hasMessage(model + ": the first output, 'map', has shape [-1, 3, 4, 4]; it must be the"
            + " classes' scores, [N, classes] (or [N, classes, 1, 1], or [classes])");
  }

  @Test
  void theFirstOutputIsTheScoresAndASecondOneIsLeftUnread() throws Exception {
    var graph = pooling("N", 3L, 4L, 4L);
    graph.node(
        "Flatten",
        "flat",
        List.of("pooled"),
        List.of("scores"),
        OnnxGraphBuilder.intAttr("axis", 1));
    // Features beside the scores, as a timm or optimum export may add: the image itself here.
    graph.node("Identity", "features", List.of("x"), List.of("features"));
    graph.floatOutput("scores", "N", 3L);
    graph.floatOutput("features", "N", 3L, 4L, 4L);

    assertThat(classify(write(graph, "two_outputs")))
        .containsExactly(new float[] {1f, 0f, 0.2f}, within(1e-6f));
  }

  @Test
  void aFloat16ModelIsFedFloat16AndItsFloat16ScoresAreWidened() throws Exception {
    var graph = new OnnxGraphBuilder();
    graph.input("x", OnnxGraphBuilder.FLOAT16, "N", 3L, 4L, 4L);
    graph.node("GlobalAveragePool", "pool", List.of("x"), List.of("pooled"));
    graph.node(
        "Flatten",
        "flat",
        List.of("pooled"),
        List.of("scores"),
        OnnxGraphBuilder.intAttr("axis", 1));
    graph.output("scores", OnnxGraphBuilder.FLOAT16, "N", 3L);

    // 0.2 in float16 is 0.19995.
    assertThat(classify(write(graph, "half")))
        .containsExactly(new float[] {1f, 0f, 0.2f}, within(1e-3f));
  }

  @Test
  void aDynamicHeightAndWidthWithoutAnInputSizeIsRefusedSayingToGiveIt() throws Exception {
    var graph = pooling("batch", 3L, "height", "width");
    graph.floatOutput("pooled", "batch", 3L, 1L, 1L);
    Path model = write(graph, "dynamic");

    assertThatThrownBy(() -> classify(model))
        .isInstanceOf(IOException.class)
        .hasMessage(model + ": model input 'x' has shape [-1, 3, -1, -1], its height and width"
            + " dynamic (-1): give --input-size the size the model was trained at, as 224 or"
            + " HEIGHTxWIDTH (a Hugging Face model's preprocessor_config.json says it as size)");
  }

  /** A graph whose output [4] is the shape of x, the tensor it is fed; x's dimensions as given. */
  private Path shapeOf(String name, Object... inputDims) throws IOException {
    var graph = new OnnxGraphBuilder();
    graph.floatInput("x", inputDims);
    graph.node("Shape", "shape", List.of("x"), List.of("dims"));
    graph.node(
        "Cast", "cast", List.of("dims"), List.of("scores"), OnnxGraphBuilder.intAttr("to", 1));
    graph.floatOutput("scores", 4L);
    return write(graph, name);
  }

  private float[] fed(Path model, String inputSize) throws Exception {
    var preprocessing = Preprocessing.of(java.util.Map.of("INPUT_SIZE", inputSize));
    try (OnnxClassifier classifier = OnnxClassifier.load(model, preprocessing, BUDGET)) {
      return classifier.classify(red());
    }
  }

  @Test
  void anInputDynamicInEveryDimensionIsFedNchwOfThreeChannelsAtTheInputSize() throws Exception {
    Path optimum = Files.write(dir.resolve("optimum.onnx"), OnnxGraphs.dynamicInputShape());

    assertThat(fed(optimum, "32x48")).containsExactly(1f, 3f, 32f, 48f);
    assertThat(fed(optimum, "20")).containsExactly(1f, 3f, 20f, 20f);
  }

  @Test
  void aDynamicHeightAndWidthBesideThreeChannelsKeepsTheirLayout() throws Exception {
    assertThat(fed(shapeOf("nhwc", "N", "H", "W", 3L), "32x48")).containsExactly(1f, 32f, 48f, 3f);
    assertThat(fed(shapeOf("nchw", "N", 3L, "H", "W"), "32x48")).containsExactly(1f, 3f, 32f, 48f);
    Path channelsDynamic = shapeOf("channels_dynamic", "N", "C", 32L, 48L);
    assertThatThrownBy(() -> fed(channelsDynamic, "32x48"))
        .as("channels dynamic, the size fixed: NCHW, or NHWC of 48 channels")
        .isInstanceOf(IOException.class)
        .hasMessageContaining("has shape [-1, -1, 32, 48]: neither end is a fixed 3");
    assertThat(fed(shapeOf("width_only", 1L, 3L, 32L, "W"), "32x48"))
        .as("the width alone dynamic, the height given as fixed")
        .containsExactly(1f, 3f, 32f, 48f);
  }

  @Test
  void aFixedSizeIsTakenWithTheSameInputSizeAndRefusedWithAnotherNamingBoth() throws Exception {
    Path fixed = shapeOf("fixed", "N", 3L, 32L, 48L);

    assertThat(fed(fixed, "32x48")).containsExactly(1f, 3f, 32f, 48f);
    assertThatThrownBy(() -> fed(fixed, "224"))
        .isInstanceOf(IOException.class)
        .hasMessage(
            fixed + ": model input 'x' has shape [-1, 3, 32, 48], its height and width fixed"
                + " at 32x48, but --input-size is 224x224; give the same, or leave it out");
    Path widthOnly = shapeOf("width_only", 1L, 3L, 32L, "W");
    assertThatThrownBy(() -> fed(widthOnly, "48x48"))
        .hasMessageEndingWith("has shape [1, 3, 32, -1], its height fixed at 32, but --input-size"
            + " is 48x48; give that height");
  }

  @Test
  void anInputOfBytesIsRefusedNamingItsType() throws Exception {
    var graph = new OnnxGraphBuilder();
    graph.input("pixels", OnnxGraphBuilder.UINT8, "N", 4L, 4L, 3L);
    graph.node("Cast", "cast", List.of("pixels"), List.of("x"), OnnxGraphBuilder.intAttr("to", 1));
    graph.node(
        "ReduceMean",
        "mean",
        List.of("x"),
        List.of("scores"),
        OnnxGraphBuilder.intsAttr("axes", 1, 2));
    graph.floatOutput("scores", "N", 3L);
    Path model = write(graph, "bytes");

    assertThatThrownBy(() -> classify(model))
        .isInstanceOf(IOException.class)
        .hasMessage(model + ": input 'pixels' is a uint8 tensor [-1, 4, 4, 3]; local mode feeds a"
            + " float32 or float16 image tensor");
  }

  @Test
  void theResizeAndNormalizationGivenReachTheModel() throws Exception {
    var graph = pooling("N", 3L, 4L, 4L);
    graph.floatOutput("pooled", "N", 3L, 1L, 1L);
    Path model = write(graph, "means");
    var half =
        new Preprocessing(Normalization.parse("0.5,0.5,0.5/0.5,0.5,0.5", "NORMALIZE"), Resize.CROP);

    try (OnnxClassifier classifier = OnnxClassifier.load(model, half, BUDGET)) {
      assertThat(classifier.classify(red()))
          .containsExactly(new float[] {1f, -1f, (0.2f - 0.5f) / 0.5f}, within(1e-5f));
    }
  }
}
