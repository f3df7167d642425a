package offhours.endpoint;

import java.time.Duration;
import java.util.Locale;
import offhours.aws.UsageLedger;
import offhours.endpoint.Endpoint.Probe;
import offhours.inference.AwsFailures;
import offhours.inference.ContractViolation;
import offhours.inference.InferenceClient;
import offhours.inference.InvocationErrors;
import offhours.inference.InvocationUsage;
import offhours.inference.ModelAnswer;
import offhours.inference.ProbeImage;
import offhours.inference.Ranking;
import offhours.inference.ScoredLabel;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The controller's test invocation of its endpoint: the bundled probe image sent and its answer read exactly as
 * Classify does ({@link InferenceClient}), and the invocation added to the usage ledger. {@link SageMakerEndpoint} owns
 * the control plane (describe, create, delete, the tags); this class owns the one runtime call that proves the model
 * answers before the trigger is enabled.
 */
public final class TestInvocation {

  /** How a probe whose answer does not fit the model's settings begins: the model answers, but never usefully. */
  public static final String ANSWER_DOES_NOT_FIT = "the answer does not fit the model's settings: ";

  /** The whole test invocation, retries included, ends by then: the controller's run has 60 s in all. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

  private final InferenceClient inference;
  private final byte[] probeImage;
  /** Where the probes' invocations are added. */
  private final UsageLedger ledger;
  /** The model the settings describe (MODEL_NAME), or null: a probe answered by another model's variant fails. */
  private final String modelName;

  TestInvocation(InferenceClient inference, String modelName, UsageLedger ledger) {
    this.inference = inference;
    this.modelName = modelName;
    this.ledger = ledger;
    this.probeImage = probeImage();
  }

  static byte[] probeImage() {
    return ProbeImage.bytes();
  }

  /**
   * The consumer's own request and reading of the answer ({@link InferenceClient}): ready only if the answer fits
   * the model's settings (a shape offhours reads, as many scores as labels when the answer does not name its
   * classes, finite numbers in range for the scores setting), so the trigger is never enabled for a model whose
   * every answer would be a contract error.
   */
  Probe run() {
    InvocationUsage spent = ledger.tally();
    try {
      InferenceClient.RawAnswer reply = inference.send(probeImage.clone(), PROBE_TIMEOUT, spent);
      String otherModel = reply.otherModel(modelName);
      if (otherModel != null) {
        return new Probe(false, otherModel + "; Classify would not read its answers");
      }
      ModelAnswer answer = inference.read(reply);
      Ranking ranking = answer.ranking();
      ScoredLabel top = ranking.labels().getFirst();
      return new Probe(
          true,
          String.format(
              Locale.ROOT,
              "%d classes as %s from %s; top %s %.3f%s",
              ranking.labels().size(),
              ranking.scores().word(),
              ranking.shape(),
              top.label(),
              top.score(),
              answer.variant() == null ? "" : "; answered by variant " + answer.variant()));
    } catch (ContractViolation e) {
      return new Probe(false, ANSWER_DOES_NOT_FIT + e.getMessage());
    } catch (SdkException e) {
      if (RunDeadline.cutByRun(e)) {
        return Probe.cutShort(e.getMessage());
      }
      // Not InService yet, ModelNotReady, 5xx, throttled, unreachable, a model refusing the content
      // type; the probe's own PROBE_TIMEOUT too: an endpoint that does not answer in it fails.
      // The reason is what users read; SageMaker's own words go to the controller's log only.
      return Probe.refused(InvocationErrors.of(e).reason(), AwsFailures.said(e));
    } catch (RuntimeException e) {
      if (RunDeadline.cutByRun(e)) {
        return Probe.cutShort(e.getMessage()); // not started (InvocationDeadline.NoTimeLeft)
      }
      return new Probe(false, e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      // Never throws: a write that fails is reported, not the probe's outcome; the controller cuts
      // it before its run's deadline (ControllerHandler.probeLedger).
      ledger.add(spent);
    }
  }
}
