package offhours.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a deployed stack bills per month while its endpoint is off and nobody uploads: its fixed cost. Unit prices are
 * us-east-1 list prices read 2026-12, without any free tier (an account's free tier is shared by everything in it);
 * re-check them on the pages named. README "What it costs" prints {@link #table()}; IdleCostTest derives the counts
 * from template.yaml, and offhours.endpoint.IdleRunTest measures a controller run against the figures here. Only
 * those tests read it: no command prints it.
 */
public final class IdleCost {

  // ---- unit prices, USD ----

  /** Standard-resolution metric alarm, per alarm-month (https://aws.amazon.com/cloudwatch/pricing/). */
  public static final double ALARM_MONTH = 0.10;

  /**
   * A custom dashboard, per dashboard-month, beyond an account's first 3 (those are free when each references at most
   * 50 metrics; https://aws.amazon.com/cloudwatch/pricing/). Counted here without that free tier, like every other
   * price: the account's other dashboards may have used it up.
   */
  public static final double DASHBOARD_MONTH = 3.00;

  /**
   * Custom metric (first 10,000), per metric-month, billed by the hour in the hours the metric receives data
   * (https://aws.amazon.com/cloudwatch/pricing/).
   */
  public static final double CUSTOM_METRIC_MONTH = 0.30;

  /** CloudWatch Logs, standard class, per GB ingested (https://aws.amazon.com/cloudwatch/pricing/). */
  public static final double LOG_INGESTED_GB = 0.50;

  /**
   * A customer managed KMS key, per month; with automatic rotation its first and second rotation add $1 each
   * (https://aws.amazon.com/kms/pricing/).
   */
  public static final double KMS_KEY_MONTH = 1.00;

  /** Lambda, per request (https://aws.amazon.com/lambda/pricing/). */
  public static final double LAMBDA_REQUEST = 0.20 / 1e6;

  /** Lambda duration per GB-second, arm64 (https://aws.amazon.com/lambda/pricing/). */
  public static final double LAMBDA_ARM64_GB_SECOND = 0.0000133334;

  /** Lambda duration per GB-second, x86_64 (https://aws.amazon.com/lambda/pricing/). */
  public static final double LAMBDA_X86_GB_SECOND = 0.0000166667;

  /** DynamoDB on-demand, per write request unit (https://aws.amazon.com/dynamodb/pricing/on-demand/). */
  public static final double DYNAMODB_WRITE_UNIT = 0.625 / 1e6;

  /** DynamoDB on-demand, per read request unit (https://aws.amazon.com/dynamodb/pricing/on-demand/). */
  public static final double DYNAMODB_READ_UNIT = 0.125 / 1e6;

  /** SQS standard queue, per request (https://aws.amazon.com/sqs/pricing/). */
  public static final double SQS_REQUEST = 0.40 / 1e6;

  /** EventBridge Scheduler, per invocation (https://aws.amazon.com/eventbridge/pricing/). */
  public static final double SCHEDULER_INVOCATION = 1.00 / 1e6;

  // ---- what an idle month holds ----

  /** The controller's minute tick: 60 x 24 x 365 / 12 runs a month; an idle run arms no timer. */
  public static final long RUNS_PER_MONTH = 60L * 24 * 365 / 12;

  /**
   * One idle controller run, measured: the lines it logs (its decision and its Embedded Metric Format line, with their
   * newlines; IdleRunTest), Lambda's START, END and REPORT lines (about 260 bytes with a 36-character request id,
   * https://docs.aws.amazon.com/lambda/latest/operatorguide/log-structure.html), its duration (250 warm local runs
   * against moto_server and the local SageMaker, on a busy 2-core machine: 39 ms at the median, 97 ms at the 90th
   * percentile; 100 ms here), its DynamoDB request units (one strongly consistent GetItem of the control state, a
   * conditional PutItem of it and a PutItem of the decision, each item under 1 KB; IdleRunTest) and its SQS requests
   * (GetQueueAttributes of the queue and of the DLQ).
   */
  public record ControllerRun(
      int functionLogBytes,
      int platformLogBytes,
      int durationMs,
      int readUnits,
      int writeUnits,
      int sqsRequests) {}

  public static final ControllerRun IDLE_RUN = new ControllerRun(600, 260, 100, 1, 2, 2);

  /**
   * The controller's timer trigger (an SQS event source) long-polls its empty queue all month: Lambda keeps five
   * pollers on a queue, and fewer only without MaximumConcurrency, which this trigger sets
   * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html); a receive waits at most 20 s. An
   * estimate: Lambda does not publish its pollers' wait time.
   */
  public static final long TIMER_POLLS_PER_MONTH = 5L * 3 * 60 * 24 * 365 / 12;

  /**
   * What the stack holds that bills while idle: alarms, dashboards, keys and memory from template.yaml
   * (IdleCostTest), the metrics an idle run publishes from the controller (IdleRunTest).
   */
  public record Stack(
      int alarms,
      int dashboards,
      int idleCustomMetrics,
      int customerManagedKeys,
      int controllerMemoryMb) {}

  /**
   * The default stack (Hosting scheduled; serverless has two alarms fewer). Its Dashboard parameter is false: with
   * true it has one dashboard.
   */
  public static final Stack DEFAULT = new Stack(13, 0, 1, 1, 512);

  /** One row of the table. */
  public record CostItem(String what, String quantity, String unitPrice, double usd) {}

  private IdleCost() {}

  /** The month's fixed cost of {@code stack} with controller runs like {@code run}, item by item. */
  public static List<CostItem> items(Stack stack, ControllerRun run) {
    List<CostItem> items = new ArrayList<>();
    items.add(new CostItem(
        "CloudWatch alarms",
        stack.alarms() + " standard-resolution",
        String.format(Locale.ROOT, "$%.2f per alarm-month", ALARM_MONTH),
        stack.alarms() * ALARM_MONTH));
    items.add(new CostItem(
        "CloudWatch dashboard (the `Dashboard` parameter)",
        stack.dashboards() + (stack.dashboards() == 0 ? " (`Dashboard=true`: 1)" : ""),
        String.format(
            Locale.ROOT, "$%.2f per dashboard-month beyond the account's first 3", DASHBOARD_MONTH),
        stack.dashboards() * DASHBOARD_MONTH));
    items.add(new CostItem(
        "CloudWatch custom metrics (the controller's EMF line)",
        stack.idleCustomMetrics() + " in every hour",
        String.format(Locale.ROOT, "$%.2f per metric-month", CUSTOM_METRIC_MONTH),
        stack.idleCustomMetrics() * CUSTOM_METRIC_MONTH));
    items.add(new CostItem(
        "KMS key of the alarm topic",
        stack.customerManagedKeys() + " customer managed",
        String.format(
            Locale.ROOT,
            "$%.0f a month; +$1 after the 1st and the 2nd yearly rotation",
            KMS_KEY_MONTH),
        stack.customerManagedKeys() * KMS_KEY_MONTH));
    double gbSeconds =
        RUNS_PER_MONTH * (run.durationMs() / 1000.0) * (stack.controllerMemoryMb() / 1024.0);
    items.add(new CostItem(
        "Lambda: the controller every minute",
        String.format(
            Locale.ROOT,
            "%,d runs x %d ms x %d MB (arm64)",
            RUNS_PER_MONTH,
            run.durationMs(),
            stack.controllerMemoryMb()),
        String.format(
            Locale.ROOT,
            "$%.2f per million requests, $%.10f per GB-s",
            LAMBDA_REQUEST * 1e6,
            LAMBDA_ARM64_GB_SECOND),
        RUNS_PER_MONTH * LAMBDA_REQUEST + gbSeconds * LAMBDA_ARM64_GB_SECOND));
    long logBytes = RUNS_PER_MONTH * (run.functionLogBytes() + run.platformLogBytes());
    items.add(new CostItem(
        "CloudWatch Logs: the controller's lines",
        String.format(
            Locale.ROOT,
            "%d bytes a run, %.0f MB",
            run.functionLogBytes() + run.platformLogBytes(),
            logBytes / 1e6),
        String.format(Locale.ROOT, "$%.2f per GB ingested", LOG_INGESTED_GB),
        logBytes / 1e9 * LOG_INGESTED_GB));
    items.add(new CostItem(
        "DynamoDB: the control table",
        String.format(
            Locale.ROOT, "%d read and %d write units a run", run.readUnits(), run.writeUnits()),
        String.format(
            Locale.ROOT,
            "$%.3f / $%.3f per million read / write units",
            DYNAMODB_READ_UNIT * 1e6,
            DYNAMODB_WRITE_UNIT * 1e6),
        RUNS_PER_MONTH
            * (run.readUnits() * DYNAMODB_READ_UNIT + run.writeUnits() * DYNAMODB_WRITE_UNIT)));
    long sqs = RUNS_PER_MONTH * run.sqsRequests() + TIMER_POLLS_PER_MONTH;
    items.add(new CostItem(
        "SQS: backlog reads and the timer trigger's polls",
        String.format(
            Locale.ROOT,
            "%,d + about %,d requests",
            RUNS_PER_MONTH * run.sqsRequests(),
            TIMER_POLLS_PER_MONTH),
        String.format(Locale.ROOT, "$%.2f per million requests", SQS_REQUEST * 1e6),
        sqs * SQS_REQUEST));
    items.add(new CostItem(
        "EventBridge Scheduler: the minute tick",
        String.format(Locale.ROOT, "%,d invocations", RUNS_PER_MONTH),
        String.format(Locale.ROOT, "$%.2f per million", SCHEDULER_INVOCATION * 1e6),
        RUNS_PER_MONTH * SCHEDULER_INVOCATION));
    return items;
  }

  public static double total(List<CostItem> items) {
    return items.stream().mapToDouble(CostItem::usd).sum();
  }

  /** README's table: one row per item and the total, in dollars and cents. */
  public static String table() {
    List<CostItem> items = items(DEFAULT, IDLE_RUN);
    StringBuilder out = new StringBuilder(
            "| what bills while idle | how much | unit price | per month |\n")
        .append("|---|---|---|---|\n");
    for (CostItem i : items) {
      out.append(String.format(
          Locale.ROOT,
          "| %s | %s | %s | %s |\n",
          i.what(),
          i.quantity(),
          i.unitPrice(),
          usd(i.usd())));
    }
    return out.append(String.format(Locale.ROOT, "| **total** | | | **%s** |\n", usd(total(items))))
        .toString();
  }

  private static String usd(double usd) {
    return String.format(Locale.ROOT, "$%.2f", usd);
  }
}
