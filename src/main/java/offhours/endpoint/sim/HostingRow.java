package offhours.endpoint.sim;

import java.time.Instant;
import java.util.List;

/**
 * One hosting option on a trace.
 *
 * @param units what is billed, in {@code unit}: endpoint-hours, GB-seconds (serverless) or job-hours (batch)
 * @param usd the dollars of {@code units}, serverless data included; NaN when the option cannot host the model
 * @param bands the periods billed per instance, each {from, to}, for the timeline (none for serverless)
 * @param results each upload with a result as {upload, result}
 * @param note how the option was modelled, in a few words
 */
public record HostingRow(
    String option,
    double units,
    String unit,
    double usd,
    WaitStats waits,
    List<Instant[]> bands,
    List<Instant[]> results,
    String note) {

  public boolean available() {
    return !Double.isNaN(usd);
  }

  static HostingRow unavailable(String option, String unit, String why) {
    return new HostingRow(option, Double.NaN, unit, Double.NaN, null, List.of(), List.of(), why);
  }
}
