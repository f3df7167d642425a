package offhours.local.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;

/** How Keras layers' shapes, paddings and kernels map to ONNX's, for {@link TfjsLayersToOnnx}. */
final class KerasGeometry {

  private KerasGeometry() {}

  /** Keras accepts n, [h, w] or [[top, bottom], [left, right]]. */
  static int[] padding2d(JsonNode p) {
    if (p.isInt()) {
      int n = p.asInt();
      return new int[] {n, n, n, n};
    }
    if (p.get(0).isArray()) {
      return new int[] {
        p.get(0).get(0).asInt(),
        p.get(0).get(1).asInt(),
        p.get(1).get(0).asInt(),
        p.get(1).get(1).asInt()
      };
    }
    return new int[] {
      p.get(0).asInt(), p.get(0).asInt(), p.get(1).asInt(), p.get(1).asInt()
    };
  }

  /**
   * Returns {begin, end, outputSize} for one spatial axis. TensorFlow's SAME pads so that
   * out = ceil(in / stride) and puts the odd pixel at the end (bottom/right):
   * https://www.tensorflow.org/api_docs/python/tf/nn#notes_on_padding_2
   */
  static int[] pads(String padding, int in, int kernel, int stride, int dilation) {
    int effective = (kernel - 1) * dilation + 1;
    return switch (padding) {
      case "valid" -> new int[] {0, 0, (in - effective) / stride + 1};
      case "same" -> {
        int out = (in + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + effective - in, 0);
        yield new int[] {total / 2, total - total / 2, out};
      }
      default ->
        throw new IllegalArgumentException(
            "padding '" + padding + "' is not supported (valid, same)");
    };
  }

  /** Keras kernel [kh, kw, in, out] -> ONNX [out, in, kh, kw]. */
  static float[] hwioToOihw(float[] k, int kh, int kw, int in, int out) {
    float[] r = new float[k.length];
    for (int i = 0; i < kh; i++) {
      for (int j = 0; j < kw; j++) {
        for (int c = 0; c < in; c++) {
          for (int o = 0; o < out; o++) {
            r[((o * in + c) * kh + i) * kw + j] = k[((i * kw + j) * in + c) * out + o];
          }
        }
      }
    }
    return r;
  }

  static int[] pair(JsonNode n) {
    return n.isArray()
        ? new int[] {n.get(0).asInt(), n.get(1).asInt()}
        : new int[] {n.asInt(), n.asInt()};
  }

  static float[] filled(int n, float v) {
    float[] a = new float[n];
    Arrays.fill(a, v);
    return a;
  }
}
