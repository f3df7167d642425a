package offhours.endpoint.sim;

import java.time.Duration;
import java.time.LocalTime;

/**
 * How each hosting option behaves in the comparison, with where each figure comes from. One instance serves at
 * {@code imagesPerSecond}, as in {@link SimulationConfig}: the drain rate per instance of the stand-in bench line.
 *
 * @param cronStartUtc the seed's cron: CreateEndpoint every day at this UTC time ...
 * @param cronStopUtc ... and DeleteEndpoint at this one, whatever is queued (EventBridge rules are UTC-only)
 * @param createDelay CreateEndpoint to InService (8-30 min on AWS; the simulation's 10)
 * @param deleteDelay DeleteEndpoint to gone, still billed
 * @param alarmDelay scale-to-zero: the first refused request to the CloudWatch alarm on
 *     NoCapacityInvocationFailures that runs the step policy (a one-minute metric period)
 * @param instanceLaunch scale-to-zero: the instance provisioned ("several minutes", measured ~5-10 min to the first
 *     200 together with {@code copyLoad}); by default {@link ComponentTimes#instanceLaunch()}, as the simulated
 *     component under the controller takes it
 * @param copyLoad scale-to-zero: a model copy placed on a running instance and answering ({@link ComponentTimes})
 * @param copiesIdle scale-to-zero: idle time before the target-tracking policy takes the copies to 0 (~11-15 min)
 * @param instancesIdle scale-to-zero: then idle time before managed instance scaling removes the instance (~10-12
 *     min); billed until then ({@link ComponentTimes})
 * @param serverlessMemoryGb serverless memory size (1-6 GB); billed per GB-second of processing
 * @param serverlessConcurrency serverless max concurrency (1-200; some accounts' quota is 10)
 * @param serverlessColdStart added to a request that finds no warm worker
 * @param serverlessWarm how long a worker stays warm after its last request (not documented by AWS; observed)
 * @param imageMegabytes data sent per request, for the serverless data charge; the bench's photos are ~0.11 MB (the
 *     answer received is {@link #ANSWER_MEGABYTES})
 * @param batchAt batch transform: one job a day at this local time, for everything uploaded before it
 * @param batchStartup batch transform: job start to the first record (instance and container start, minutes)
 */
public record HostingAssumptions(
    double imagesPerSecond,
    LocalTime cronStartUtc,
    LocalTime cronStopUtc,
    Duration createDelay,
    Duration deleteDelay,
    Duration alarmDelay,
    Duration instanceLaunch,
    Duration copyLoad,
    Duration copiesIdle,
    Duration instancesIdle,
    double serverlessMemoryGb,
    int serverlessConcurrency,
    Duration serverlessColdStart,
    Duration serverlessWarm,
    double imageMegabytes,
    LocalTime batchAt,
    Duration batchStartup) {

  /**
   * Data received per request: Serverless Inference bills data processed in and out
   * (https://aws.amazon.com/sagemaker/pricing/), so each image's charge adds its answer to the image sent, as the
   * ledger does for a stack (offhours.aws.UsageLedger). The default model answers a JSON array of 5 scores, well
   * under 100 bytes; 1 KB leaves room for a verbose answer that names its classes. A model answering 1000 ImageNet
   * scores sends ~15 KB, still small beside the image.
   */
  public static final double ANSWER_MEGABYTES = 0.001;

  public HostingAssumptions {
    if (!(imagesPerSecond > 0)) {
      throw new IllegalArgumentException("imagesPerSecond must be > 0, got " + imagesPerSecond);
    }
    if (serverlessMemoryGb < 1 || serverlessMemoryGb > 6) {
      throw new IllegalArgumentException("serverless memory is 1-6 GB, got " + serverlessMemoryGb);
    }
    if (serverlessConcurrency < 1 || serverlessConcurrency > 200) {
      throw new IllegalArgumentException(
          "serverless max concurrency is 1-200, got " + serverlessConcurrency);
    }
  }

  /**
   * Office cron 08:00-18:00 UTC, AWS's documented or measured durations (the component's from {@link
   * SimulationConfig#component()}), 2 GB and concurrency 10 serverless.
   */
  public static HostingAssumptions defaults(SimulationConfig config) {
    return new HostingAssumptions(
        config.imagesPerSecond(),
        LocalTime.of(8, 0),
        LocalTime.of(18, 0),
        config.createDelay(),
        config.deleteDelay(),
        Duration.ofMinutes(1),
        config.component().instanceLaunch(),
        config.component().copyLoad(),
        Duration.ofMinutes(15),
        config.component().instancesIdle(),
        2,
        10,
        Duration.ofSeconds(10),
        Duration.ofMinutes(10),
        0.11,
        LocalTime.of(2, 0),
        Duration.ofMinutes(6));
  }

  /** The same, with a serverless endpoint of {@code gb} GB of memory (a stack's ServerlessMemorySizeInMB). */
  public HostingAssumptions withServerlessMemoryGb(double gb) {
    return new HostingAssumptions(
        imagesPerSecond,
        cronStartUtc,
        cronStopUtc,
        createDelay,
        deleteDelay,
        alarmDelay,
        instanceLaunch,
        copyLoad,
        copiesIdle,
        instancesIdle,
        gb,
        serverlessConcurrency,
        serverlessColdStart,
        serverlessWarm,
        imageMegabytes,
        batchAt,
        batchStartup);
  }

  /** With the simulator's default delays and drain rate. */
  public static HostingAssumptions defaults() {
    return defaults(SimulationConfig.defaults());
  }

  /** One image's processing time on one instance or worker. */
  Duration service() {
    return Duration.ofNanos(Math.round(1e9 / imagesPerSecond));
  }
}
