package offhours.classify;

import java.time.Duration;
import java.util.Locale;
import offhours.classify.ImageDownloads.Failed;
import offhours.classify.ImageDownloads.Image;
import offhours.classify.ImageDownloads.Unusable;
import offhours.classify.Outcome.Kind;
import offhours.classify.S3Notifications.ObjectEvent;
import offhours.inference.AwsFailures;
import offhours.inference.ContractViolation;
import offhours.inference.InferenceClient;
import offhours.inference.InvocationErrors;
import offhours.inference.ModelAnswer;
import offhours.inference.ProbeImage;
import offhours.results.ResultItem;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One uploaded object through the model, for {@link MessageClassifier}: its size checked, its bytes fetched, sent with
 * InvokeEndpoint, and the answer or the failure turned into the object's outcome.
 *
 * <p>When the model's container answers a 4xx, other than about the request's headers (415, 406, or a message that
 * the content or accept type is not supported: the deployment's) and the image's size (413: a verdict at once, as for
 * an object over MAX_IMAGE_BYTES), it says it could not read the image, which is no proof: some containers answer 400
 * for any failure of their own (the Hugging Face toolkit does, CUDA out of memory included). So the claim is checked
 * with offhours' probe image, at most once per batch ({@link BatchScope#probe}): if the model answers that, the image
 * is at fault and gets its REJECTED verdict at once; if the probe fails too, or the invocation has no time left to send
 * it, the endpoint is at fault and the batch is deferred as for an endpoint that is down, so a broken deployment
 * rejects nothing. A 5xx or no answer is a crash, which {@link MessageClassifier} settles against the whole batch.
 */
final class ObjectClassifier {

  /** Kept free after InvokeEndpoint for the writes that follow it ({@link BatchScope.Write}). */
  static final Duration RESERVE = BatchScope.RESERVE;

  private final ImageDownloads downloads;
  private final InferenceClient inference;
  private final ResultWriter writer;
  private final ClassifyConfig config;

  ObjectClassifier(
      ImageDownloads downloads,
      InferenceClient inference,
      ResultWriter writer,
      ClassifyConfig config) {
    this.downloads = downloads;
    this.inference = inference;
    this.writer = writer;
    this.config = config;
  }

  /**
   * The outcome of one object-created record: a verdict for an object over MAX_IMAGE_BYTES or one that is no image, a
   * result, a deferral when the endpoint cannot answer (or this invocation has too little time left), or a retry.
   * Writes the result or verdict; sends nothing back to the queue.
   */
  Outcome classify(ObjectEvent event, int attempts, BatchScope scope) {
    String sizeProblem = downloads.sizeProblem(event);
    if (sizeProblem != null) {
      return writer.verdict(event, sizeProblem, attempts, scope);
    }
    Outcome notNow = notNow(event, scope);
    if (notNow != null) {
      return notNow;
    }
    byte[] image;
    switch (downloads.fetch(event, scope.callTimeout(RESERVE))) {
      case Unusable u -> {
        return writer.verdict(event, u.reason(), attempts, scope);
      }
      case Failed f -> {
        return Outcome.of(Kind.RETRY, event.uri(), f.reason());
      }
      case Image i -> image = i.bytes();
    }
    notNow = notNow(event, scope);
    if (notNow != null) {
      return notNow;
    }
    ModelAnswer answer;
    try {
      // An answer that does not fit was billed all the same: the tally counts it before it is read.
      InferenceClient.RawAnswer reply =
          inference.send(image, scope.callTimeout(RESERVE), scope.usage());
      String otherModel = reply.otherModel(config.modelName());
      if (otherModel != null) {
        // Not read with these settings: the message waits for the endpoint of this model, as for
        // an endpoint that is down (RawAnswer#otherModel says when this happens).
        String reason = otherModel + "; not read with them, the message waits for the endpoint of "
            + config.modelName();
        scope.endpointDown(reason);
        return Outcome.of(Kind.DEFERRED, event.uri(), reason);
      }
      answer = inference.read(reply);
    } catch (SdkException e) {
      // Every outcome of a SageMaker error logs what SageMaker itself answered (its message may
      // name the account), beside the reason in offhours' words that the result, the deferral or
      // the DLQ keeps.
      return failed(event, InvocationErrors.of(e), attempts, scope)
          .withService(AwsFailures.said(e));
    } catch (ContractViolation e) {
      return Outcome.of(
          Kind.RETRY,
          event.uri(),
          "the endpoint's answer does not fit the model's settings: " + e.getMessage());
    }
    return writer.classified(event, image.length, answer, attempts, scope);
  }

  /** What becomes of {@code event} when InvokeEndpoint failed as {@code failure} says. */
  private Outcome failed(
      ObjectEvent event, InvocationErrors.Failure failure, int attempts, BatchScope scope) {
    return switch (failure.cause()) {
      case UNAVAILABLE, ENDPOINT -> {
        scope.endpointDown(failure.reason());
        yield Outcome.of(Kind.DEFERRED, event.uri(), failure.reason());
      }
      case THROTTLED -> {
        scope.endpointDown(failure.reason(), true);
        yield Outcome.throttled(event.uri(), failure.reason());
      }
      case IMAGE -> writer.verdict(event, failure.reason(), attempts, scope);
      // Only this image is over the endpoint's limit: the endpoint is not marked down, so the
      // batch's smaller images are still sent.
      case OVERSIZE -> Outcome.oversize(event.uri(), failure.reason());
      case UNREADABLE -> {
        ProbeImage.Check probe = scope.probe(() -> sendProbe(scope));
        if (probe.read()) {
          yield writer.verdict(
              event, failure.reason() + "; " + ProbeImage.Check.READ, attempts, scope);
        }
        String reason = failure.reason() + "; " + probe.failure()
            + (probe.throttled()
                ? "; the endpoint is busy, so the image is not judged now"
                : "; the endpoint is at fault, not the image");
        // A probe turned away as busy is a throttle: deferred without counting, as any throttle.
        scope.endpointDown(reason, probe.throttled());
        yield probe.throttled()
            ? Outcome.throttled(event.uri(), reason)
            : Outcome.of(Kind.DEFERRED, event.uri(), reason);
      }
      case CRASH -> {
        String detail = failure.containerSaid();
        ResultItem.ObjectVersion version = ResultWriter.object(event, null);
        scope.crashed(version.pk() + " " + version.sk(), detail);
        yield Outcome.crashed(event, detail);
      }
      case DEPLOYMENT -> Outcome.of(Kind.RETRY, event.uri(), failure.reason());
    };
  }

  /**
   * Sends offhours' probe image to check a model's 4xx. Without the time for a call it is not sent, and the endpoint
   * is not cleared.
   */
  private ProbeImage.Check sendProbe(BatchScope scope) {
    Duration needed = config.invokeTimeout().plus(RESERVE);
    if (!scope.hasTime(needed)) {
      return new ProbeImage.Check(
          "too little of this invocation remains to check that with offhours' probe image", false);
    }
    return ProbeImage.send(inference, scope.callTimeout(RESERVE), scope.usage());
  }

  /** A deferral when the endpoint already failed in this batch, or when the invocation has too little time left. */
  private Outcome notNow(ObjectEvent event, BatchScope scope) {
    BatchScope.Down down = scope.endpointDown();
    if (down != null) {
      String detail = "endpoint unavailable earlier in this batch: " + down.reason();
      return down.throttled()
          ? Outcome.throttled(event.uri(), detail)
          : Outcome.of(Kind.DEFERRED, event.uri(), detail);
    }
    Duration needed = config.invokeTimeout().plus(RESERVE);
    if (!scope.hasTime(needed)) {
      return Outcome.of(
          Kind.DEFERRED,
          event.uri(),
          String.format(
              Locale.ROOT,
              "not started: %.1f s of this"
                  + " invocation remain, less than the %d s a record may need (INVOKE_TIMEOUT_SECONDS + %d s)",
              scope.remainingMillis() / 1000.0,
              needed.toSeconds(),
              RESERVE.toSeconds()));
    }
    return null;
  }
}
