package offhours.local.model;

import static offhours.local.model.OnnxGraphBuilder.floatAttr;
import static offhours.local.model.OnnxGraphBuilder.intAttr;
import static offhours.local.model.OnnxGraphBuilder.intsAttr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ONNX nodes of each Keras layer {@link TfjsLayersToOnnx} supports: one method a layer, reading the layer's Keras
 * config and weights and adding its nodes and initializers to the graph in NCHW. Which layers come in which order is
 * the converter's business.
 */
final class KerasLayerEmitter {
  /** A Keras tensor in the ONNX graph: its name and its shape without the batch, {C,H,W} or {F}. */
  record Value(String name, int[] shape) {
    boolean isImage() {
      return shape.length == 3;
    }
  }

  private final OnnxGraphBuilder graph;
  private final Map<String, Weights.Tensor> weights;
  private final Set<String> constants = new HashSet<>();

  KerasLayerEmitter(OnnxGraphBuilder graph, Map<String, Weights.Tensor> weights) {
    this.graph = graph;
    this.weights = weights;
  }

  Value zeroPadding(String name, JsonNode c, Value x) {
    int[] p = KerasGeometry.padding2d(c.get("padding")); // top, bottom, left, right
    graph.node(
        "Pad",
        name,
        List.of(x.name(), longs(name + "/pads", 0, 0, p[0], p[2], 0, 0, p[1], p[3])),
        List.of(name));
    int[] s = x.shape();
    return new Value(name, new int[] {s[0], s[1] + p[0] + p[1], s[2] + p[2] + p[3]});
  }

  Value conv(String name, JsonNode c, Value x, boolean depthwise) {
    int[] k = KerasGeometry.pair(c.get("kernel_size"));
    int[] strides = KerasGeometry.pair(c.get("strides"));
    int[] dilation =
        c.has("dilation_rate") ? KerasGeometry.pair(c.get("dilation_rate")) : new int[] {1, 1};
    int inC = x.shape()[0];
    int groups;
    int outC;
    float[] kernel;
    Weights.Tensor w;
    if (depthwise) {
      int multiplier = c.path("depth_multiplier").asInt(1);
      w = weight(name, "depthwise_kernel", k[0], k[1], inC, multiplier);
      groups = inC;
      outC = inC * multiplier;
      // Keras [kh, kw, C, M] -> ONNX [C*M, 1, kh, kw]; output channel c*M + m, as Keras orders
      // them.
      kernel = KerasGeometry.hwioToOihw(w.data(), k[0], k[1], 1, outC);
    } else {
      groups = c.path("groups").asInt(1);
      outC = c.get("filters").asInt();
      w = weight(name, "kernel", k[0], k[1], inC / groups, outC);
      kernel = KerasGeometry.hwioToOihw(w.data(), k[0], k[1], inC / groups, outC);
    }
    String kernelName = name + "/kernel";
    graph.floatInitializer(
        kernelName,
        new long[] {outC, kernel.length / ((long) outC * k[0] * k[1]), k[0], k[1]},
        kernel);
    List<String> inputs = new ArrayList<>(List.of(x.name(), kernelName));
    if (c.path("use_bias").asBoolean(true)) {
      String biasName = name + "/bias";
      graph.floatInitializer(
          biasName, new long[] {outC}, weight(name, "bias", outC).data());
      inputs.add(biasName);
    }
    int[] pH =
        KerasGeometry.pads(c.get("padding").asText(), x.shape()[1], k[0], strides[0], dilation[0]);
    int[] pW =
        KerasGeometry.pads(c.get("padding").asText(), x.shape()[2], k[1], strides[1], dilation[1]);
    String activation = c.path("activation").asText("linear");
    String convOut = activation.equals("linear") ? name : name + "/conv";
    graph.node(
        "Conv",
        convOut,
        inputs,
        List.of(convOut),
        intsAttr("kernel_shape", k[0], k[1]),
        intsAttr("strides", strides[0], strides[1]),
        intsAttr("dilations", dilation[0], dilation[1]),
        intsAttr("pads", pH[0], pW[0], pH[1], pW[1]),
        intAttr("group", groups));
    Value conv = new Value(convOut, new int[] {outC, pH[2], pW[2]});
    return activation(name, activation, conv, name, depthwise ? "DepthwiseConv2D" : "Conv2D");
  }

  Value batchNorm(String name, JsonNode c, Value x) {
    int axis = c.path("axis").asInt(-1);
    int rank = x.shape().length + 1;
    if (axis != -1 && axis != rank - 1) {
      throw new IllegalArgumentException(
          "layer '" + name + "' (BatchNormalization) normalizes axis " + axis
              + "; only the channel axis (-1) is supported");
    }
    int ch = x.shape()[0];
    float[] gamma = c.path("scale").asBoolean(true)
        ? weight(name, "gamma", ch).data()
        : KerasGeometry.filled(ch, 1f);
    float[] beta = c.path("center").asBoolean(true)
        ? weight(name, "beta", ch).data()
        : KerasGeometry.filled(ch, 0f);
    List<String> in = List.of(
        x.name(),
        name + "/gamma",
        name + "/beta",
        name + "/moving_mean",
        name + "/moving_variance");
    graph.floatInitializer(in.get(1), new long[] {ch}, gamma);
    graph.floatInitializer(in.get(2), new long[] {ch}, beta);
    graph.floatInitializer(
        in.get(3), new long[] {ch}, weight(name, "moving_mean", ch).data());
    graph.floatInitializer(
        in.get(4), new long[] {ch}, weight(name, "moving_variance", ch).data());
    graph.node("BatchNormalization", name, in, List.of(name), floatAttr("epsilon", (float)
        c.path("epsilon").asDouble(0.001)));
    return new Value(name, x.shape());
  }

  Value relu(String name, JsonNode c, Value x) {
    if (c.path("negative_slope").asDouble(0) != 0 || c.path("threshold").asDouble(0) != 0) {
      throw new IllegalArgumentException(
          "layer '" + name + "' (ReLU) has a negative_slope or threshold;"
              + " only plain ReLU with an optional max_value is supported");
    }
    JsonNode max = c.get("max_value");
    if (max == null || max.isNull()) {
      graph.node("Relu", name, List.of(x.name()), List.of(name));
    } else {
      graph.node(
          "Clip", name, List.of(x.name(), scalar(0f), scalar(max.floatValue())), List.of(name));
    }
    return new Value(name, x.shape());
  }

  /** Applies a Keras activation; the final ONNX output is named after the layer. */
  Value activation(String out, String activation, Value x, String layer, String cls) {
    List<String> in = List.of(x.name());
    switch (activation) {
      case "linear" -> {
        return x;
      }
      case "relu" -> graph.node("Relu", out, in, List.of(out));
      case "relu6" ->
        graph.node("Clip", out, List.of(x.name(), scalar(0f), scalar(6f)), List.of(out));
      case "sigmoid" -> graph.node("Sigmoid", out, in, List.of(out));
      case "tanh" -> graph.node("Tanh", out, in, List.of(out));
      // Keras' softmax runs over the last axis, which is the channel axis (1) in this NCHW graph.
      case "softmax" ->
        graph.node("Softmax", out, in, List.of(out), intAttr("axis", x.isImage() ? 1 : -1));
      default ->
        throw new IllegalArgumentException("layer '" + layer + "' (" + cls + ") uses activation '"
            + activation + "'; supported: linear, relu, relu6, sigmoid, tanh, softmax");
    }
    return new Value(out, x.shape());
  }

  Value add(String name, List<Value> in) {
    for (Value v : in) {
      if (!java.util.Arrays.equals(v.shape(), in.get(0).shape())) {
        throw new IllegalArgumentException(
            "layer '" + name + "' (Add) adds tensors of different shapes");
      }
    }
    graph.node(
        in.size() == 2 ? "Add" : "Sum", name, in.stream().map(Value::name).toList(), List.of(name));
    return new Value(name, in.get(0).shape());
  }

  Value pool(String name, String cls, JsonNode c, Value x) {
    int[] k = KerasGeometry.pair(c.get("pool_size"));
    int[] s = c.hasNonNull("strides") ? KerasGeometry.pair(c.get("strides")) : k;
    int[] pH = KerasGeometry.pads(c.get("padding").asText(), x.shape()[1], k[0], s[0], 1);
    int[] pW = KerasGeometry.pads(c.get("padding").asText(), x.shape()[2], k[1], s[1], 1);
    // AveragePool's default count_include_pad=0 matches Keras, which averages only real pixels.
    graph.node(
        cls.equals("MaxPooling2D") ? "MaxPool" : "AveragePool",
        name,
        List.of(x.name()),
        List.of(name),
        intsAttr("kernel_shape", k[0], k[1]),
        intsAttr("strides", s[0], s[1]),
        intsAttr("pads", pH[0], pW[0], pH[1], pW[1]));
    return new Value(name, new int[] {x.shape()[0], pH[2], pW[2]});
  }

  Value globalAveragePool(String name, Value x) {
    graph.node("GlobalAveragePool", name + "/pool", List.of(x.name()), List.of(name + "/pool"));
    graph.node("Flatten", name, List.of(name + "/pool"), List.of(name), intAttr("axis", 1));
    return new Value(name, new int[] {x.shape()[0]});
  }

  Value flatten(String name, Value x) {
    if (!x.isImage()) {
      return x;
    }
    int[] s = x.shape();
    String in = x.name();
    if (s[1] * s[2] > 1) {
      // Keras flattens NHWC in (h, w, c) order; go back to that layout so Dense weights line up.
      in = name + "/nhwc";
      graph.node("Transpose", in, List.of(x.name()), List.of(in), intsAttr("perm", 0, 2, 3, 1));
    }
    graph.node("Flatten", name, List.of(in), List.of(name), intAttr("axis", 1));
    return new Value(name, new int[] {s[0] * s[1] * s[2]});
  }

  Value dense(String name, JsonNode c, Value x) {
    if (x.isImage()) {
      throw new IllegalArgumentException(
          "layer '" + name + "' (Dense) gets a 4-D input; add a Flatten before it");
    }
    int in = x.shape()[0];
    int units = c.get("units").asInt();
    graph.floatInitializer(
        name + "/kernel",
        new long[] {in, units},
        weight(name, "kernel", in, units).data());
    List<String> inputs = new ArrayList<>(List.of(x.name(), name + "/kernel"));
    if (c.path("use_bias").asBoolean(true)) {
      graph.floatInitializer(
          name + "/bias", new long[] {units}, weight(name, "bias", units).data());
      inputs.add(name + "/bias");
    } else {
      graph.floatInitializer(name + "/bias", new long[] {units}, new float[units]);
      inputs.add(name + "/bias");
    }
    String activation = c.path("activation").asText("linear");
    String gemmOut = activation.equals("linear") ? name : name + "/gemm";
    graph.node("Gemm", gemmOut, inputs, List.of(gemmOut));
    return activation(name, activation, new Value(gemmOut, new int[] {units}), name, "Dense");
  }

  private Weights.Tensor weight(String layer, String suffix, int... expectedShape) {
    String key = layer + "/" + suffix;
    Weights.Tensor t = weights.get(key);
    if (t == null) {
      throw new IllegalArgumentException(
          "weights manifest has no entry '" + key + "' for layer '" + layer + "'");
    }
    if (!java.util.Arrays.equals(t.shape(), expectedShape)) {
      throw new IllegalArgumentException(
          "weight '" + key + "' has shape " + java.util.Arrays.toString(t.shape()) + " but layer '"
              + layer + "' needs " + java.util.Arrays.toString(expectedShape));
    }
    return t;
  }

  private String scalar(float v) {
    String name = "const/" + v;
    if (constants.add(name)) {
      graph.floatInitializer(name, new long[0], new float[] {v});
    }
    return name;
  }

  private String longs(String name, long... v) {
    graph.int64Initializer(name, new long[] {v.length}, v);
    return name;
  }
}
