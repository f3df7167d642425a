package offhours.endpoint.sim;

import java.util.Map;
import java.util.Optional;
import offhours.endpoint.ServerlessUsage;
import offhours.stack.InstanceTypes;

/**
 * The prices the hosting comparison uses, one table with its sources (us-east-1, on-demand, read 2026-12; re-check
 * them on the pricing page). Every figure can be overridden from the command line.
 *
 * @param instanceHourUsd one instance-hour of {@code instanceType}, for real-time endpoints (scheduled, always on,
 *     scale-to-zero), asynchronous endpoints and batch transform jobs, which the pricing page lists at the same
 *     on-demand rate
 * @param serverlessGbSecondUsd serverless inference compute, per GB of memory and second of processing
 * @param serverlessGbDataUsd serverless inference, per GB of data processed (in and out)
 */
public record HostingPrices(
    String instanceType,
    double instanceHourUsd,
    double serverlessGbSecondUsd,
    double serverlessGbDataUsd) {

  /** Where the numbers come from. */
  public static final String SOURCES =
      "https://aws.amazon.com/sagemaker/pricing/ (Real-Time, Serverless, Asynchronous and"
          + " Batch Transform inference, us-east-1, on-demand, read 2026-12)";

  /**
   * Real-time and batch transform, USD per instance-hour, of every instance type the template takes (each size is
   * priced at twice the one below it in its family).
   */
  private static final Map<String, Double> INSTANCE_HOUR_USD = Map.of(
      "ml.m5.large", 0.115,
      "ml.m5.xlarge", 0.23,
      "ml.c5.large", 0.102,
      "ml.c5.xlarge", 0.204,
      "ml.c5.2xlarge", 0.408,
      "ml.g4dn.xlarge", 0.736,
      "ml.g5.xlarge", 1.408,
      "ml.inf2.xlarge", 0.99);

  public HostingPrices {
    for (double p : new double[] {instanceHourUsd, serverlessGbSecondUsd, serverlessGbDataUsd}) {
      if (!(p >= 0) || !Double.isFinite(p)) {
        throw new IllegalArgumentException("a price must be a finite number >= 0, got " + p);
      }
    }
  }

  /** The table's prices for {@code instanceType}; empty when the table has no price for it. */
  public static Optional<HostingPrices> of(String instanceType) {
    Double hour = INSTANCE_HOUR_USD.get(instanceType);
    return hour == null
        ? Optional.empty()
        : Optional.of(new HostingPrices(
            instanceType, hour, ServerlessUsage.GB_SECOND_USD, ServerlessUsage.DATA_GB_USD));
  }

  /** The instance types the table prices, for messages. */
  public static String known() {
    return String.join(", ", INSTANCE_HOUR_USD.keySet().stream().sorted().toList());
  }

  public HostingPrices withInstanceHour(String type, double usd) {
    return new HostingPrices(type, usd, serverlessGbSecondUsd, serverlessGbDataUsd);
  }

  public HostingPrices withServerless(double gbSecondUsd, double gbDataUsd) {
    return new HostingPrices(instanceType, instanceHourUsd, gbSecondUsd, gbDataUsd);
  }

  /**
   * Serverless inference runs on CPU only (no GPU, no Inferentia): a model built for an accelerated instance has no
   * serverless row.
   */
  public boolean serverlessAvailable() {
    return !InstanceTypes.accelerated(instanceType);
  }
}
