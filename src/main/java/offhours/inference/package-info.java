/**
 * InvokeEndpoint as Classify, the controller's readiness probe and POST /classify share it:
 * {@link offhours.inference.InferenceClient} builds the request and reads the answer
 * ({@link offhours.inference.ResponseShapes}, into a {@link offhours.inference.Ranking}) under the
 * {@link offhours.inference.ModelContract}; {@link offhours.inference.InvocationErrors} says what a SageMaker error
 * means, and {@link offhours.inference.AwsFailures} how any failed AWS call is told. JSON is read without Jackson
 * ({@link offhours.inference.StrictJson}), as everything here ships in the Classify zip.
 */
package offhours.inference;
