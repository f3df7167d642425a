package offhours.endpoint;

import java.util.Objects;
import offhours.stack.Hosting;

/**
 * What a ledger is priced with ({@link CostReport}, the API's /status): how the stack is hosted; its instance type,
 * count and hourly price (its endpoint-hours, and the always-on endpoint each day is compared with); and the serverless
 * prices of the invocations recorded (offhours.aws.UsageLedger) (https://aws.amazon.com/sagemaker/pricing/: per
 * GB-second at the endpoint's memory, which the recorded GB-seconds include, and per GB of data).
 */
public record LedgerPrices(
    Hosting hosting,
    String instanceType,
    int instanceCount,
    double hourlyPriceUsd,
    double gbSecondUsd,
    double dataGbUsd) {

  /**
   * The most any price of a ledger may be, in US dollars (an instance-hour, a GB-second, a GB): no instance-hour costs
   * near it, and the totals of a year of them stay finite. The CLI's price flags and the controller's
   * INSTANCE_HOURLY_PRICE_USD are bounded by it; the template's InstanceHourlyPriceUsd (at most 99999.999999) stays
   * under it.
   */
  public static final double MAX_USD = 1_000_000;

  public LedgerPrices {
    Objects.requireNonNull(hosting, "hosting");
    Objects.requireNonNull(instanceType, "instanceType");
  }

  /** A real-time endpoint's prices; any serverless usage at the list prices. */
  public static LedgerPrices instance(
      String instanceType, int instanceCount, double hourlyPriceUsd) {
    return listed(Hosting.SCHEDULED, instanceType, instanceCount, hourlyPriceUsd);
  }

  /**
   * A stack's prices as its controller's settings give them (the API's /status has no others): its instance's, and
   * us-east-1's serverless list prices ({@link ServerlessUsage#GB_SECOND_USD}, {@link ServerlessUsage#DATA_GB_USD})
   * whatever the stack's Region.
   */
  public static LedgerPrices listed(
      Hosting hosting, String instanceType, int instanceCount, double hourlyPriceUsd) {
    return new LedgerPrices(
        hosting,
        instanceType,
        instanceCount,
        hourlyPriceUsd,
        ServerlessUsage.GB_SECOND_USD,
        ServerlessUsage.DATA_GB_USD);
  }

  public boolean serverless() {
    return hosting == Hosting.SERVERLESS;
  }

  /** The dollars of {@code usage} at these serverless prices. */
  public double serverlessUsd(ServerlessUsage usage) {
    return usage.costUsd(gbSecondUsd, dataGbUsd);
  }

  /** The dollars of {@code hours} of the endpoint: instance count x hourly price. */
  public double endpointUsd(double hours) {
    return hours * instanceCount * hourlyPriceUsd;
  }

  /**
   * The share of the always-on cost a period saved, in percent: by hours while only endpoint time was billed (the same
   * share of the dollars at any price), by dollars once serverless invocations were billed too, which can cost more
   * than an always-on endpoint (a negative saving); 0 for a period of no length. {@code cost} includes
   * {@code serverlessCost}. The cost report, the API's /status and the UI's page all say "saved" with it.
   */
  public static double savedPercent(
      double hours, double alwaysOnHours, double cost, double alwaysOnCost, double serverlessCost) {
    if (alwaysOnHours == 0) {
      return 0;
    }
    if (serverlessCost == 0) {
      return 100.0 * (1 - hours / alwaysOnHours);
    }
    return alwaysOnCost == 0 ? 0 : 100.0 * (1 - cost / alwaysOnCost);
  }
}
