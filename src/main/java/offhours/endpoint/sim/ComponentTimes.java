package offhours.endpoint.sim;

import java.time.Duration;

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

  /**
   * "LAUNCH,LOAD,UNLOAD,IDLE" in minutes (decimals allowed, none negative), as {@code --component-minutes} takes them:
   * "5,2,2,10" is {@link #DEFAULTS}. {@code name} is the setting the message names.
   */
  public static ComponentTimes parse(String name, String raw) {
    String[] parts = raw == null ? new String[0] : raw.strip().split(",", -1);
    String expected =
        name + " '" + raw + "' is not four minutes LAUNCH,LOAD,UNLOAD,IDLE (an instance's launch,"
            + " a copy's load and unload, the instance's idle time before it is removed), such as 5,2,2,10";
    if (parts.length != 4) {
      throw new IllegalArgumentException(expected);
    }
    Duration[] times = new Duration[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i].strip();
      if (!part.matches("\\d{1,4}(\\.\\d{1,2})?")) {
        throw new IllegalArgumentException(
            expected + ": '" + part + "' is not a number of minutes");
      }
      times[i] = Duration.ofSeconds(Math.round(Double.parseDouble(part) * 60));
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
