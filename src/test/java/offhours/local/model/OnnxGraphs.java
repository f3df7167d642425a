package offhours.local.model;

import java.util.List;

/** Tiny ONNX models for tests outside this package, which cannot reach {@link OnnxGraphBuilder}. */
public final class OnnxGraphs {
  private OnnxGraphs() {}

  /** An NCHW classifier of input x [N,3,height,width] whose output [N,3] is the mean of each channel it is fed. */
  public static byte[] channelMeans(long height, long width) {
    var graph = new OnnxGraphBuilder();
    graph.floatInput("x", "N", 3L, height, width);
    graph.node("GlobalAveragePool", "pool", List.of("x"), List.of("pooled"));
    graph.node(
        "Flatten",
        "flat",
        List.of("pooled"),
        List.of("means"),
        OnnxGraphBuilder.intAttr("axis", 1));
    graph.floatOutput("means", "N", 3L);
    return graph.build("means", "test", "channel means");
  }

  /**
   * A classifier whose input x [batch, channels, height, width] is dynamic in every dimension, as {@code optimum}
   * exports one, and whose output [4] is the shape of the tensor it is fed.
   */
  public static byte[] dynamicInputShape() {
    var graph = new OnnxGraphBuilder();
    graph.floatInput("x", "batch_size", "num_channels", "height", "width");
    graph.node("Shape", "shape", List.of("x"), List.of("dims"));
    graph.node(
        "Cast", "cast", List.of("dims"), List.of("scores"), OnnxGraphBuilder.intAttr("to", 1));
    graph.floatOutput("scores", 4L);
    return graph.build("dynamic", "test", "input shape");
  }
}
