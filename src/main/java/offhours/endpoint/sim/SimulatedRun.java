package offhours.endpoint.sim;

import java.time.Instant;
import java.util.List;

/**
 * One simulated period as it happened, for the hosting comparison and its page.
 *
 * @param results each classified upload as {upload instant, result instant}
 * @param billed the periods the endpoint was billed (create call until gone), each {from, to}
 * @param end the end of the simulated period
 */
public record SimulatedRun(
    SimulationReport report, List<Instant[]> results, List<Instant[]> billed, Instant end) {}
