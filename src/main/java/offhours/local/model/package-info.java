/**
 * Local mode's model serving: the default model ({@link offhours.local.model.DefaultModel}, nsfwjs' MobileNetV2
 * fetched from npm and converted from TF.js layers to ONNX in Java) and the built-in SageMaker-style model
 * container ({@link offhours.local.model.OnnxContainer}) that serves it, or a user's own ONNX image
 * classifier, with ONNX Runtime.
 *
 * <pre>{@code
 * ModelFiles model = DefaultModel.ensure(CacheDirectory.ofThisProcess());
 * try (OnnxContainer container = OnnxContainer.start(model.onnx(), 0)) {
 *   // POST container.baseUri().resolve("/invocations"), Content-Type image/jpeg -> [0.01,0.02,0.9,0.05,0.02]
 * }
 * }</pre>
 *
 * <p>Inside: the fetch ({@code FetchLock}, {@code Tarball}); the converter ({@code TfjsLayersToOnnx}, one Keras layer
 * at a time in {@code KerasLayerEmitter} and {@code KerasGeometry}, the weights read by {@code Weights}, the ONNX file
 * written by {@code OnnxGraphBuilder} and {@code ProtoWriter}); the serving ({@code OnnxClassifier} in ONNX Runtime;
 * {@code ImagePreprocessor}, {@code PngDecoder} and {@code EmbeddedProfiles} turn an image into the input as nsfwjs
 * does, {@link offhours.local.model.Normalization} for other models; {@code ImageHeader} and {@code DecodeBudget} keep
 * the decoders' memory bounded).
 */
package offhours.local.model;
