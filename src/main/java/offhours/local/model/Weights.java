package offhours.local.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes a TF.js weights manifest over the concatenated weight bytes, in manifest order, as TF.js' own
 * {@code io.decodeWeights} does. Quantized weights are dequantized with value = q * scale + min
 * (https://github.com/tensorflow/tfjs/blob/master/tfjs-core/src/io/io_utils.ts).
 */
final class Weights {
  record Tensor(int[] shape, float[] data) {}

  private Weights() {}

  static Map<String, Tensor> read(JsonNode manifest, ByteBuffer data) {
    ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    Map<String, Tensor> out = new HashMap<>();
    for (JsonNode group : manifest) {
      for (JsonNode w : group.get("weights")) {
        String name = w.get("name").asText();
        int[] shape = new int[w.get("shape").size()];
        int size = 1;
        for (int i = 0; i < shape.length; i++) {
          shape[i] = w.get("shape").get(i).asInt();
          size *= shape[i];
        }
        String dtype = w.path("dtype").asText("float32");
        if (!dtype.equals("float32")) {
          throw new IllegalArgumentException(
              "weight '" + name + "' has dtype " + dtype + "; only float32 is supported");
        }
        JsonNode q = w.get("quantization");
        String stored = q == null ? "float32" : q.get("dtype").asText();
        int bytes = switch (stored) {
          case "float32" -> 4;
          case "uint8" -> 1;
          case "uint16", "float16" -> 2;
          default ->
            throw new IllegalArgumentException("weight '" + name + "' is quantized as " + stored
                + "; supported: uint8, uint16, float16");
        };
        if (in.remaining() < (long) size * bytes) {
          throw new IllegalArgumentException(
              "weights data ends early: '" + name + "' needs " + (long) size * bytes
                  + " bytes at offset " + in.position() + ", only " + in.remaining() + " left");
        }
        float[] values = new float[size];
        double min = q == null ? 0 : q.path("min").asDouble();
        double scale = q == null ? 1 : q.path("scale").asDouble();
        for (int i = 0; i < size; i++) {
          values[i] = switch (stored) {
            case "float32" -> in.getFloat();
            case "uint8" -> (float) ((in.get() & 0xff) * scale + min);
            case "uint16" -> (float) ((in.getShort() & 0xffff) * scale + min);
            default -> Float.float16ToFloat(in.getShort());
          };
        }
        out.put(name, new Tensor(shape, values));
      }
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(
          "weights data has " + in.remaining() + " bytes the manifest does not describe");
    }
    return out;
  }
}
