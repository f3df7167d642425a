package offhours.stack;

import java.util.Arrays;
import offhours.aws.PayloadLimits;
import offhours.units.Plurals;
import offhours.units.Shown;

/**
 * How the model is hosted (template parameter {@code Hosting}, variable {@code HOSTING}): the same consumer, results
 * and ledger for each; what the controller switches differs.
 */
public enum Hosting {
  /** A real-time endpoint the controller creates and deletes. */
  SCHEDULED("scheduled"),
  /** A real-time endpoint that stays, with an inference component whose copy count the controller sets (0 or N). */
  SCALE_TO_ZERO("scale-to-zero"),
  /** A serverless endpoint owned by the stack: nothing to schedule, cold starts and throttling defer. */
  SERVERLESS("serverless");

  private final String value;

  Hosting(String value) {
    this.value = value;
  }

  /**
   * Whether the controller switches the endpoint on and off: creates and deletes it (scheduled) or sets its
   * component's copies between N and 0 (scale-to-zero). A serverless endpoint is the stack's and bills per
   * invocation: the controller never creates it, and it has no time outside the schedule to bill
   * ({@link ControllerMetrics#publishedUnder}: which of the controller's metrics can have data).
   */
  public boolean switchesTheEndpoint() {
    return this != SERVERLESS;
  }

  /**
   * Whether an upload can be due, and so late, under MaxWaitMinutes {@code maxWaitMinutes} (the parameter's spelling):
   * not with 0, no budget, and not with next-opening on a serverless endpoint, which knows no working hours to wait
   * for (the controller's HostingPolicy#due of each hosting). Where none can be, the controller never publishes
   * OverdueSeconds ({@link ControllerMetrics#publishedUnder}), and template.yaml's HasDueTimes condition leaves out the
   * alarm and the graph that watch it.
   */
  public boolean hasDueTimes(String maxWaitMinutes) {
    return !maxWaitMinutes.equals("0")
        && (switchesTheEndpoint() || !maxWaitMinutes.equals("next-opening"));
  }

  /**
   * The largest image Classify and the API send to this hosting's endpoint, what template.yaml sets their
   * MAX_IMAGE_BYTES to (ImageLimitTemplateTest): a serverless endpoint's limit, else InvokeEndpoint's Body maximum.
   */
  public int maxImageBytes() {
    return this == SERVERLESS
        ? PayloadLimits.SERVERLESS_INVOKE_BYTES
        : PayloadLimits.INVOKE_ENDPOINT_BODY_BYTES;
  }

  /** The spelling of the template parameter and the variable. */
  public String value() {
    return value;
  }

  /** Reads the variable's value, spelled exactly as the template's parameter allows. */
  public static Hosting parse(String value) {
    for (Hosting h : values()) {
      if (h.value.equals(value)) {
        return h;
      }
    }
    throw new IllegalArgumentException(
        "HOSTING must be one of " + spellings() + ", got '" + Shown.value(value) + "'");
  }

  /** "scheduled, scale-to-zero or serverless". */
  public static String spellings() {
    return Plurals.either(Arrays.stream(values()).map(Hosting::value).toList());
  }
}
