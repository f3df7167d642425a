package offhours.local.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an ONNX ModelProto with {@link ProtoWriter}. Field numbers and enum values are those of
 * onnx/onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto); only what the TF.js converter
 * emits is covered. Nodes must be added in topological order, as ONNX requires.
 */
final class OnnxGraphBuilder {
  private static final int IR_VERSION = 8;
  private static final int OPSET = 13;

  // TensorProto.DataType
  static final int FLOAT = 1;
  static final int UINT8 = 2;
  static final int INT64 = 7;
  static final int FLOAT16 = 10;
  // AttributeProto.AttributeType
  private static final int ATTR_FLOAT = 1;
  private static final int ATTR_INT = 2;
  private static final int ATTR_INTS = 7;

  /** One attribute of a node, already encoded as an AttributeProto. */
  record Attribute(ProtoWriter proto) {}

  private final List<ProtoWriter> nodes = new ArrayList<>();
  private final List<ProtoWriter> initializers = new ArrayList<>();
  private final List<ProtoWriter> inputs = new ArrayList<>();
  private final List<ProtoWriter> outputs = new ArrayList<>();

  static Attribute intAttr(String name, long value) {
    return new Attribute(new ProtoWriter().string(1, name).int64(20, ATTR_INT).int64(3, value));
  }

  static Attribute floatAttr(String name, float value) {
    return new Attribute(new ProtoWriter().string(1, name).int64(20, ATTR_FLOAT).float32(2, value));
  }

  static Attribute intsAttr(String name, long... values) {
    ProtoWriter p = new ProtoWriter().string(1, name).int64(20, ATTR_INTS);
    for (long v : values) {
      p.int64(8, v); // unpacked: valid for proto2 and accepted by every parser
    }
    return new Attribute(p);
  }

  void node(
      String opType, String name, List<String> in, List<String> out, Attribute... attributes) {
    ProtoWriter n = new ProtoWriter();
    in.forEach(i -> n.string(1, i));
    out.forEach(o -> n.string(2, o));
    n.string(3, name).string(4, opType);
    for (Attribute a : attributes) {
      n.message(5, a.proto());
    }
    nodes.add(n);
  }

  void floatInitializer(String name, long[] dims, float[] data) {
    ByteBuffer raw = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(data);
    initializers.add(tensor(name, dims, FLOAT, raw.array()));
  }

  void int64Initializer(String name, long[] dims, long[] data) {
    ByteBuffer raw = ByteBuffer.allocate(data.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(data);
    initializers.add(tensor(name, dims, INT64, raw.array()));
  }

  /** A float tensor graph input; each dim is a Long (fixed) or a String (symbolic, e.g. the batch). */
  void floatInput(String name, Object... dims) {
    input(name, FLOAT, dims);
  }

  void floatOutput(String name, Object... dims) {
    output(name, FLOAT, dims);
  }

  /** A graph input of TensorProto.DataType {@code dataType} ({@link #FLOAT16}, say); dims as {@link #floatInput}. */
  void input(String name, int dataType, Object... dims) {
    inputs.add(valueInfo(name, dataType, dims));
  }

  void output(String name, int dataType, Object... dims) {
    outputs.add(valueInfo(name, dataType, dims));
  }

  byte[] build(String graphName, String producer, String docString) {
    ProtoWriter graph = new ProtoWriter();
    nodes.forEach(n -> graph.message(1, n));
    graph.string(2, graphName);
    initializers.forEach(t -> graph.message(5, t));
    graph.string(10, docString);
    inputs.forEach(i -> graph.message(11, i));
    outputs.forEach(o -> graph.message(12, o));
    return new ProtoWriter()
        .int64(1, IR_VERSION)
        .string(2, producer)
        .message(7, graph)
        .message(8, new ProtoWriter().string(1, "").int64(2, OPSET))
        .toByteArray();
  }

  private static ProtoWriter tensor(String name, long[] dims, int dataType, byte[] raw) {
    ProtoWriter t = new ProtoWriter();
    for (long d : dims) {
      t.int64(1, d);
    }
    return t.int64(2, dataType).string(8, name).bytes(9, raw);
  }

  private static ProtoWriter valueInfo(String name, int dataType, Object... dims) {
    ProtoWriter shape = new ProtoWriter();
    for (Object d : dims) {
      ProtoWriter dim = new ProtoWriter();
      if (d instanceof String param) {
        dim.string(2, param);
      } else {
        dim.int64(1, ((Number) d).longValue());
      }
      shape.message(1, dim);
    }
    ProtoWriter tensorType = new ProtoWriter().int64(1, dataType).message(2, shape);
    return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
  }
}
