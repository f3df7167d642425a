package offhours.inference;

/**
 * What the endpoint answered for one image.
 *
 * @param ranking the answer read into class names and probabilities
 * @param variant the production variant that answered (InvokeEndpoint's {@code x-Amzn-Invoked-Production-Variant});
 *     offhours names each variant after its model, so this is the model that really answered; null if not given
 */
public record ModelAnswer(Ranking ranking, String variant) {}
