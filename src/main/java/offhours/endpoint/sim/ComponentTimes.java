package offhours.endpoint.sim;

import java.time.Duration;
import offhours.endpoint.ControllerConfig;
import offhours.units.Decimals;

/**
 * What an inference component on a real-time endpoint with managed instance scaling (MinInstanceCount 0) takes, in the
 * simulation of the scale-to-zero hosting and in {@link HostingAssumptions} (one place for each figure). Sources:
 * https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html and DESIGN.md's hosting
 * table (measured ~5-10 min from no instance to the first answer, ~10-12 min from 0 copies to 0 instances).
 *
 * @param instanceLaunch an instance provisioned for the first copy ("several minutes")
 * @param copyLoad a model copy placed on a running instance and answering
 * @param copyUnload UpdateInferenceComponentRuntimeConfig to 0 copies until the count has settled at 0 (the component
 *     InService again): not documented nor measured; assumed 2 minutes, the upper end of the minute or two a copy's
 *     container takes to stop, so the billed stop is not understated
 * @param instancesIdle then the idle time before managed instance scaling removes the instance; billed until then
 */
public record ComponentTimes(
    Duration instanceLaunch, Duration copyLoad, Duration copyUnload, Duration instancesIdle) {

  public static final ComponentTimes DEFAULTS = new ComponentTimes(
      Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMinutes(2), Duration.ofMinutes(10));

  public ComponentTimes {
    for (Duration d : new Duration[] {instanceLaunch, copyLoad, copyUnload, instancesIdle}) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException(
            "a component's time must not be negative nor missing, got " + d);
      }
    }
  }

  /** The longest of the four: a week, as the longest idle stop the controller takes. */
  private static final int MAX_MINUTES = ControllerConfig.MAX_IDLE_STOP_MINUTES;

  /**
   * "LAUNCH,LOAD,UNLOAD,IDLE" in minutes, each from 0 to a week and written as {@link Decimals} reads it, as
   * {@code --component-minutes} takes them: "5,2,2,10" is {@link #DEFAULTS}. No blanks around a number, as no other
   * number flag takes them either. {@code name} is the setting the message names.
   */
  public static ComponentTimes parse(String name, String raw) {
    String[] parts = raw == null ? new String[0] : raw.split(",", -1);
    String expected =
        name + " '" + raw + "' is not four minutes LAUNCH,LOAD,UNLOAD,IDLE (an instance's launch,"
            + " a copy's load and unload, the instance's idle time before it is removed), such as 5,2,2,10";
    if (parts.length != 4) {
      throw new IllegalArgumentException(expected);
    }
    Duration[] times = new Duration[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      double minutes;
      try {
        minutes = Decimals.parse(part);
      } catch (NumberFormatException e) {
        minutes = -1;
      }
      if (minutes < 0 || minutes > MAX_MINUTES) {
        throw new IllegalArgumentException(
            expected + ": '" + part + "' is not minutes from 0 to a week (" + MAX_MINUTES + ") in "
                + Decimals.FORM + ", without blanks");
      }
      times[i] = Duration.ofSeconds(Math.round(minutes * 60));
    }
    if (times[0].plus(times[1]).isZero()) {
      throw new IllegalArgumentException(
          expected + ": a wake (launch + load) of 0 minutes is no component AWS runs");
    }
    return new ComponentTimes(times[0], times[1], times[2], times[3]);
  }

  /** From no instance to an answering copy. */
  public Duration wake() {
    return instanceLaunch.plus(copyLoad);
  }

  /** From copies set to 0 to the instance removed, all of it billed. */
  public Duration stop() {
    return copyUnload.plus(instancesIdle);
  }
}
