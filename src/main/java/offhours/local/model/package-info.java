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
 */
package offhours.local.model;
