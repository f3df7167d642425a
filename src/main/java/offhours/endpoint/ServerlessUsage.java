package offhours.endpoint;

/**
 * What hosting serverless spent on one day, as Classify adds it to the ledger item: invocations, their time in
 * milliseconds, that time x the endpoint's memory in MB, and the bytes sent and received (ledger items written before
 * Classify counted the answers hold the bytes sent only).
 */
public record ServerlessUsage(long invocations, long millis, long mbMillis, long bytes) {
  /**
   * Serverless Inference's on-demand prices in us-east-1: per GB-second of invocation and per GB of data processed
   * (https://aws.amazon.com/sagemaker/pricing/; other regions differ a little).
   */
  public static final double GB_SECOND_USD = 0.00002;

  public static final double DATA_GB_USD = 0.016;

  /** Nothing recorded. */
  public static final ServerlessUsage NONE = new ServerlessUsage(0, 0, 0, 0);

  /** GB-seconds, the unit SageMaker Serverless Inference bills. */
  public double gbSeconds() {
    return mbMillis / 1024.0 / 1000.0;
  }

  /** The data processed in GB (10^9 bytes), the unit of the data charge. */
  public double dataGb() {
    return bytes / 1e9;
  }

  /** In US dollars at {@code gbSecondUsd} per GB-second and {@code dataGbUsd} per GB of data. */
  public double costUsd(double gbSecondUsd, double dataGbUsd) {
    return gbSeconds() * gbSecondUsd + dataGb() * dataGbUsd;
  }

  public ServerlessUsage plus(ServerlessUsage o) {
    return new ServerlessUsage(
        invocations + o.invocations, millis + o.millis, mbMillis + o.mbMillis, bytes + o.bytes);
  }
}
