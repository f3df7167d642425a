// Needs: ONNX Runtime (runs a small converted model; offline).
package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TfjsLayersToOnnxIT {
  /**
   * Input 4x4x1 holding 0..15 row-major; Conv2D 3x3, stride 2, "same", two filters of all ones and all twos
   * (uint8-quantized); Flatten; Dense with an identity kernel. TensorFlow pads one pixel at the bottom and
   * right only, so output (0,0) sums rows 0-2 x cols 0-2 = 45, (0,1) rows 0-2 x cols 2-3 = 39, (1,0) = 66,
   * (1,1) = 50; Keras flattens in (h, w, c) order.
   */
  @Test
  void stridedSameConvolutionPadsBottomRightAndFlattenKeepsKerasOrder() throws Exception {
    var model = new ObjectMapper().readTree("""
        {"modelTopology": {"model_config": {"class_name": "Model", "config": {"name": "tiny",
          "layers": [
            {"name": "input_1", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 4, 4, 1]},
             "inbound_nodes": []},
            {"name": "conv", "class_name": "Conv2D", "config": {"filters": 2, "kernel_size": [3, 3],
              "strides": [2, 2], "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1],
              "activation": "linear", "use_bias": false}, "inbound_nodes": [[["input_1", 0, 0, {}]]]},
            {"name": "flat", "class_name": "Flatten", "config": {"data_format": "channels_last"},
             "inbound_nodes": [[["conv", 0, 0, {}]]]},
            {"name": "drop", "class_name": "Dropout", "config": {"rate": 0.5}, "inbound_nodes": [[["flat", 0, 0, {}]]]},
            {"name": "dense", "class_name": "Dense", "config": {"units": 8, "activation": "linear", "use_bias": true},
             "inbound_nodes": [[["drop", 0, 0, {}]]]}],
          "input_layers": [["input_1", 0, 0]], "output_layers": [["dense", 0, 0]]}}},
         "weightsManifest": [{"paths": ["w.bin"], "weights": [
           {"name": "conv/kernel", "shape": [3, 3, 1, 2], "dtype": "float32",
            "quantization": {"min": 0, "scale": 1, "dtype": "uint8"}},
           {"name": "dense/kernel", "shape": [8, 8], "dtype": "float32"},
           {"name": "dense/bias", "shape": [8], "dtype": "float32"}]}]}""");
    ByteBuffer weights = ByteBuffer.allocate(18 + 64 * 4 + 8 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 9; i++) {
      weights.put((byte) 1).put((byte) 2); // [kh][kw][in=1][out=2]
    }
    for (int r = 0; r < 8; r++) {
      for (int c = 0; c < 8; c++) {
        weights.putFloat(r == c ? 1f : 0f);
      }
    }
    for (int i = 0; i < 8; i++) {
      weights.putFloat(0f);
    }
    byte[] onnx = TfjsLayersToOnnx.convert(model, weights.flip());

    float[] input = new float[16];
    for (int i = 0; i < 16; i++) {
      input[i] = i;
    }
    var env = OrtEnvironment.getEnvironment();
    try (var session = env.createSession(onnx, new OrtSession.SessionOptions());
        var tensor =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 4, 4, 1});
        var result = session.run(Map.of("input_1", tensor))) {
      assertThat(session.getOutputNames()).containsExactly("dense");
      assertThat(((float[][]) result.get(0).getValue())[0])
          .containsExactly(45, 90, 39, 78, 66, 132, 50, 100);
    }
  }
}
