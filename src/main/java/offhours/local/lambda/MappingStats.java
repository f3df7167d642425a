package offhours.local.lambda;

/**
 * Counters of one event source mapping ({@link LocalLambda#stats}), for tests, benchmarks and the demo's progress:
 * its state, the batches run, the messages delivered and deleted, {@code failed} = delivered but not deleted, the
 * invocations that failed, and the batches in flight.
 */
public record MappingStats(
    String state,
    long batches,
    long delivered,
    long deleted,
    long failed,
    long invocationErrors,
    int invoking) {}
