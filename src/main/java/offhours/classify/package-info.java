/**
 * The Classify function: where an SQS message becomes a result.
 *
 * <p>{@link offhours.classify.ClassifyHandler} reads Lambda's SQS event ({@code SqsEvents}) and hands the batch to
 * {@code BatchProcessor}, which runs its messages concurrently in two rounds and answers the partial batch response.
 * First {@code MessageClassifier} evaluates each message: {@code S3Notifications} reads the S3 records in its body, and
 * each object goes through {@code ObjectClassifier}: its size checked, its version fetched ({@code ImageDownloads}),
 * sent with {@link offhours.inference.InferenceClient}, and a classification or a verdict written at once by
 * {@code ResultWriter} ({@link offhours.results.ResultsTable}: a conditional write, so a repeated delivery is a
 * duplicate); any other end is an {@code Outcome} (deferred, crashed, retried) for the second round. Then, once the
 * whole batch is evaluated, it concludes each message: a model crash is settled against the batch (on two images the
 * endpoint's fault), a message the endpoint could not serve goes back to the queue as a delayed copy
 * ({@code Deferrals}), and {@code OutcomeLog} writes one line per record; the messages to retry are hidden for their
 * pause ({@code RetryPace}). {@code BatchScope} holds what a batch's records share, its deadline among them;
 * {@code Priming} runs these paths before a SnapStart snapshot. README "The consumer: one verdict per upload, nothing
 * lost" and its reference section say what each outcome means to a user.
 */
package offhours.classify;
