package offhours.local.model;

import static offhours.local.model.OnnxGraphBuilder.intsAttr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import offhours.local.model.KerasLayerEmitter.Value;

/**
 * Converts a TF.js layers model (a Keras functional model: {@code model.json} plus its weights) into an
 * ONNX model, opset 13. Only the layers that MobileNet-style image classifiers use are supported; any other
 * layer fails with a message naming it.
 *
 * <p>The ONNX graph keeps the Keras input layout (NHWC, batch dimension symbolic) so callers feed the same
 * tensor TF.js would get, and transposes once to NCHW, the layout ONNX convolutions use. Keras "same"
 * padding is turned into explicit pads (extra padding at bottom/right, as TensorFlow does), so the result
 * does not depend on how a runtime interprets auto_pad.
 */
final class TfjsLayersToOnnx {
  private static final Set<String> SUPPORTED = Set.of(
      "InputLayer",
      "ZeroPadding2D",
      "Conv2D",
      "DepthwiseConv2D",
      "BatchNormalization",
      "ReLU",
      "Activation",
      "Add",
      "AveragePooling2D",
      "MaxPooling2D",
      "GlobalAveragePooling2D",
      "Flatten",
      "Dense",
      "Dropout");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final OnnxGraphBuilder graph = new OnnxGraphBuilder();
  private final Map<String, Value> values = new HashMap<>();
  private final KerasLayerEmitter layers;

  private TfjsLayersToOnnx(Map<String, Weights.Tensor> weights) {
    this.layers = new KerasLayerEmitter(graph, weights);
  }

  /** Reads {@code model.json} (with {@code modelTopology} and {@code weightsManifest}) and the weights. */
  static byte[] convert(Path modelJson, Path weightsBin) throws IOException {
    JsonNode model = JSON.readTree(modelJson.toFile());
    ByteBuffer data =
        ByteBuffer.wrap(Files.readAllBytes(weightsBin)).order(ByteOrder.LITTLE_ENDIAN);
    return convert(model, data);
  }

  static byte[] convert(JsonNode model, ByteBuffer weightData) {
    JsonNode topology = model.path("modelTopology");
    JsonNode config = topology.has("model_config") ? topology.get("model_config") : topology;
    String modelClass = config.path("class_name").asText();
    if (!modelClass.equals("Model") && !modelClass.equals("Functional")) {
      throw new IllegalArgumentException("model.json holds a Keras '" + modelClass
          + "' model; only functional models (class Model) are supported");
    }
    var converter = new TfjsLayersToOnnx(Weights.read(model.path("weightsManifest"), weightData));
    return converter.run(config.get("config"));
  }

  private byte[] run(JsonNode config) {
    for (JsonNode layer : config.get("layers")) {
      convertLayer(layer);
    }
    JsonNode outputs = config.get("output_layers");
    if (outputs.size() != 1) {
      throw new IllegalArgumentException(
          "model has " + outputs.size() + " outputs; exactly one is supported");
    }
    String outputLayer = outputs.get(0).get(0).asText();
    Value out = value(outputLayer);
    if (out.isImage()) {
      throw new IllegalArgumentException(
          "output layer '" + outputLayer + "' is 4-D; a classifier output must be [N, classes]");
    }
    if (!out.name().equals(outputLayer)) {
      graph.node("Identity", outputLayer, List.of(out.name()), List.of(outputLayer));
    }
    graph.floatOutput(outputLayer, "N", (long) out.shape()[0]);
    return graph.build(
        config.path("name").asText("model"),
        "offhours TfjsLayersToOnnx",
        "converted from a TF.js layers model");
  }

  private void convertLayer(JsonNode layer) {
    String name = layer.get("name").asText();
    String cls = layer.get("class_name").asText();
    JsonNode c = layer.get("config");
    if (!SUPPORTED.contains(cls)) {
      throw new IllegalArgumentException("layer '" + name + "' has class " + cls
          + ", which the TF.js-to-ONNX converter does not support" + " (supported: "
          + String.join(", ", new java.util.TreeSet<>(SUPPORTED)) + ")");
    }
    if (c.has("data_format") && !c.get("data_format").asText().equals("channels_last")) {
      throw new IllegalArgumentException("layer '" + name + "' (" + cls + ") uses data_format "
          + c.get("data_format").asText() + "; only channels_last is supported");
    }
    if (cls.equals("InputLayer")) {
      input(name, c);
      return;
    }
    List<Value> in = inbound(layer, name, cls);
    Value x = in.get(0);
    Value result = switch (cls) {
      case "ZeroPadding2D" -> layers.zeroPadding(name, c, image(x, name, cls));
      case "Conv2D" -> layers.conv(name, c, image(x, name, cls), false);
      case "DepthwiseConv2D" -> layers.conv(name, c, image(x, name, cls), true);
      case "BatchNormalization" -> layers.batchNorm(name, c, x);
      case "ReLU" -> layers.relu(name, c, x);
      case "Activation" -> layers.activation(name, c.get("activation").asText(), x, name, cls);
      case "Add" -> layers.add(name, in);
      case "AveragePooling2D", "MaxPooling2D" -> layers.pool(name, cls, c, image(x, name, cls));
      case "GlobalAveragePooling2D" -> layers.globalAveragePool(name, image(x, name, cls));
      case "Flatten" -> layers.flatten(name, x);
      case "Dense" -> layers.dense(name, c, x);
      case "Dropout" -> x; // identity at inference
      default -> throw new AssertionError(cls);
    };
    values.put(name, result);
  }

  private void input(String name, JsonNode c) {
    JsonNode shape = c.get("batch_input_shape");
    if (shape.size() == 4) {
      int h = shape.get(1).asInt(), w = shape.get(2).asInt(), ch = shape.get(3).asInt();
      if (h <= 0 || w <= 0 || ch <= 0) {
        throw new IllegalArgumentException("input layer '" + name + "' has shape " + shape
            + "; height, width and channels must be fixed");
      }
      graph.floatInput(name, "N", (long) h, (long) w, (long) ch);
      String nchw = name + "/nchw";
      graph.node("Transpose", nchw, List.of(name), List.of(nchw), intsAttr("perm", 0, 3, 1, 2));
      values.put(name, new Value(nchw, new int[] {ch, h, w}));
    } else if (shape.size() == 2) {
      graph.floatInput(name, "N", (long) shape.get(1).asInt());
      values.put(name, new Value(name, new int[] {shape.get(1).asInt()}));
    } else {
      throw new IllegalArgumentException("input layer '" + name + "' has shape " + shape
          + "; only [null,H,W,C] images and [null,F] vectors are supported");
    }
  }

  private List<Value> inbound(JsonNode layer, String name, String cls) {
    JsonNode nodes = layer.get("inbound_nodes");
    if (nodes == null || nodes.size() != 1 || !nodes.get(0).isArray()) {
      throw new IllegalArgumentException(
          "layer '" + name + "' (" + cls + ") must be called exactly once"
              + " in the Keras 2 inbound_nodes format; shared layers are not supported");
    }
    List<Value> in = new ArrayList<>();
    for (JsonNode t : nodes.get(0)) {
      if (t.get(1).asInt() != 0 || t.get(2).asInt() != 0) {
        throw new IllegalArgumentException("layer '" + name + "' reads output " + t
            + "; only the first output" + " of a layer's first call is supported");
      }
      in.add(value(t.get(0).asText()));
    }
    return in;
  }

  private Value value(String layerName) {
    Value v = values.get(layerName);
    if (v == null) {
      throw new IllegalArgumentException("layer '" + layerName + "' is used before it is defined");
    }
    return v;
  }

  private static Value image(Value x, String name, String cls) {
    if (!x.isImage()) {
      throw new IllegalArgumentException(
          "layer '" + name + "' (" + cls + ") needs a 4-D image input, got a vector");
    }
    return x;
  }
}
