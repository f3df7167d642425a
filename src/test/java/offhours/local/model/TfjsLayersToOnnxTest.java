package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TfjsLayersToOnnxTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void samePaddingPutsTheOddPixelAtTheEndLikeTensorflow() {
    assertThat(KerasGeometry.pads("same", 224, 3, 2, 1)).containsExactly(0, 1, 112);
    assertThat(KerasGeometry.pads("same", 4, 3, 2, 1)).containsExactly(0, 1, 2);
    assertThat(KerasGeometry.pads("same", 7, 3, 1, 1)).containsExactly(1, 1, 7);
    assertThat(KerasGeometry.pads("same", 7, 5, 1, 1)).containsExactly(2, 2, 7);
    assertThat(KerasGeometry.pads("same", 8, 3, 1, 2)).containsExactly(2, 2, 8);
  }

  @Test
  void validPaddingShrinks() {
    assertThat(KerasGeometry.pads("valid", 225, 3, 2, 1)).containsExactly(0, 0, 112);
    assertThat(KerasGeometry.pads("valid", 7, 7, 7, 1)).containsExactly(0, 0, 1);
  }

  @Test
  void kerasKernelsBecomeOutputMajor() {
    // [kh=1, kw=2, in=2, out=3]: value = 100*j + 10*c + o
    float[] hwio = {0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112};
    assertThat(KerasGeometry.hwioToOihw(hwio, 1, 2, 2, 3))
        .containsExactly(0, 100, 10, 110, 1, 101, 11, 111, 2, 102, 12, 112);
  }

  @Test
  void uint8WeightsAreDequantizedAndFloat32ReadAsIs() throws Exception {
    JsonNode manifest = JSON.readTree("""
        [{"paths": ["w.bin"], "weights": [
          {"name": "a/kernel", "shape": [3], "dtype": "float32",
           "quantization": {"min": -1.0, "scale": 0.5, "dtype": "uint8"}},
          {"name": "b/bias", "shape": [2], "dtype": "float32"}]}]""");
    ByteBuffer data = ByteBuffer.allocate(3 + 8).order(ByteOrder.LITTLE_ENDIAN);
    data.put((byte) 0)
        .put((byte) 2)
        .put((byte) 255)
        .putFloat(1.5f)
        .putFloat(-2f)
        .flip();

    Map<String, Weights.Tensor> w = Weights.read(manifest, data);

    assertThat(w.get("a/kernel").data()).containsExactly(-1f, 0f, 126.5f);
    assertThat(w.get("a/kernel").shape()).containsExactly(3);
    assertThat(w.get("b/bias").data()).containsExactly(1.5f, -2f);
  }

  @Test
  void weightsDataShorterThanTheManifestIsRefused() throws Exception {
    JsonNode manifest = JSON.readTree("""
        [{"paths": ["w.bin"], "weights": [{"name": "a/kernel", "shape": [2, 2], "dtype": "float32"}]}]""");
    assertThatThrownBy(() -> Weights.read(manifest, ByteBuffer.allocate(12)))
        .hasMessage("weights data ends early: 'a/kernel' needs 16 bytes at offset 0, only 12 left");
  }

  @Test
  void anUnsupportedLayerIsNamedWithItsClass() throws Exception {
    JsonNode model = JSON.readTree("""
        {"modelTopology": {"model_config": {"class_name": "Model", "config": {"name": "m",
          "layers": [
            {"name": "input_1", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 8, 8, 3]},
             "inbound_nodes": []},
            {"name": "lstm_1", "class_name": "LSTM", "config": {}, "inbound_nodes": [[["input_1", 0, 0, {}]]]}],
          "input_layers": [["input_1", 0, 0]], "output_layers": [["lstm_1", 0, 0]]}}},
         "weightsManifest": []}""");
    assertThatThrownBy(() -> TfjsLayersToOnnx.convert(model, ByteBuffer.allocate(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "layer 'lstm_1' has class LSTM, which the TF.js-to-ONNX converter does not support"
                + " (supported: Activation, Add, AveragePooling2D, BatchNormalization, Conv2D,");
  }

  @Test
  void aSequentialModelIsRefusedClearly() throws Exception {
    JsonNode model = JSON.readTree("""
        {"modelTopology": {"model_config": {"class_name": "Sequential", "config": {"layers": []}}}, "weightsManifest": []}""");
    assertThatThrownBy(() -> TfjsLayersToOnnx.convert(model, ByteBuffer.allocate(0)))
        .hasMessage(
            "model.json holds a Keras 'Sequential' model; only functional models (class Model) are supported");
  }

  @Test
  void protobufVarintsAndLengthDelimitedFields() {
    assertThat(new ProtoWriter().int64(1, 300).toByteArray()).containsExactly(0x08, 0xac, 0x02);
    assertThat(new ProtoWriter().string(2, "hi").toByteArray())
        .containsExactly(0x12, 0x02, 'h', 'i');
    assertThat(new ProtoWriter().int64(1, -1).toByteArray())
        .containsExactly(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
    assertThat(new ProtoWriter().float32(2, 1f).toByteArray())
        .containsExactly(0x15, 0x00, 0x00, 0x80, 0x3f);
  }
}
