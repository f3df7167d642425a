package offhours.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import offhours.endpoint.CostReport;
import offhours.endpoint.WaitBudget;
import offhours.stack.FunctionVariables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code offhours cost}: the savings ledger: endpoint-hours, images, cost per image, saved against always-on. */
final class CostCommand implements Command {

  private static final java.time.format.DateTimeFormatter HH_MM =
      java.time.format.DateTimeFormatter.ofPattern("HH:mm", java.util.Locale.ROOT);

  /**
   * The most days a report covers: ten years. The ledger keeps every day (the control table has no TTL) and cost reads
   * no CloudWatch metric, only that table and the results table, counting from the stack's start; SageMaker's
   * real-time endpoints date from 2017, so no stack is older. Beyond it a mistyped number only asks for days no stack
   * has (and a stack of unknown start would count each of them).
   */
  static final int MAX_DAYS = 3660;

  /** The most days --compare covers: it simulates every hosting option over the period, as simulate does. */
  static final int MAX_COMPARE_DAYS = 366;

  private static final Option DAYS = Option.value(
      "days",
      "N",
      "the last N days, today included (default 7, at most " + MAX_DAYS
          + ", ten years; with --compare at most " + MAX_COMPARE_DAYS + ")");
  static final Option PRICE = Option.value(
      "price",
      "USD",
      "on-demand price of one instance-hour, more than 0 (default: the stack's InstanceHourlyPriceUsd; the local stack's is "
          + FunctionVariables.CONTROLLER_ENV.get("INSTANCE_HOURLY_PRICE_USD") + ")");
  static final Option TYPE = Option.value(
      "instance-type",
      "TYPE",
      "price this instance type instead, at the table's price of it unless --price says (default: the stack's"
          + " InstanceType; the local stack's is "
          + FunctionVariables.CONTROLLER_ENV.get("INSTANCE_TYPE") + ")");
  static final Option COUNT = Option.value(
      "instances",
      "N",
      "instance count of the endpoint (default: the stack's InstanceCount; the local stack's is 1)");
  static final Option ZONE = Option.value(
      "time-zone",
      "ZONE",
      "the zone whose days the ledger uses, the controller's days (default: the stack's TimeZone;"
          + " the local stack's is the one 'local start' was given with --time-zone, else ran in)");

  @Override
  public String name() {
    return "cost";
  }

  @Override
  public String summary() {
    return "print the savings ledger: endpoint-hours, images, cost per image, saved vs an always-on endpoint";
  }

  @Override
  public List<Option> options() {
    return List.of(
        DAYS,
        PRICE,
        TYPE,
        COUNT,
        ZONE,
        Option.JSON,
        Option.STACK,
        HostingOptions.COMPARE,
        HostingOptions.MAX_WAIT,
        HostingOptions.GB_SECOND,
        HostingOptions.GB_DATA);
  }

  @Override
  public String description() {
    return """
        The controller adds the time the endpoint existed (from CreateEndpoint until it is gone, so never less
        than the bill) to a ledger in the control table, per day of its time zone; images are the CLASSIFIED
        results of each day. Always-on is 24 h a day (23 or 25 on DST days) at the same price, from the instant the
        stack started (when it was created, or the local stack started, or, when earlier, its ledger's start: its
        controller's first run, which it records in the control table), as the UI's page counts it, and today
        only until now ("today until HH:MM"; "until" in --json): the ledger has no hours that are yet to come. A deployed
        stack is priced and dated with its own InstanceType, InstanceCount, InstanceHourlyPriceUsd and TimeZone
        (as its controller and its API's /status); the local stack with what its controller runs with, which its
        state file records (the zone is the one 'local start' was given, else ran in); the flags override them. Days before the
        stack existed (its creation, or the local stack's start) are not counted. A stack with Hosting=serverless
        has no endpoint-hours: it bills per invocation, and Classify adds each batch's invocation time x the
        endpoint's memory (GB-seconds) and bytes to the same ledger; each day's cost is those at the us-east-1
        serverless prices (--serverless-gb-second, --serverless-gb-data override them), and 24/7 is an always-on endpoint of
        the stack's InstanceType and InstanceCount, as for the other hostings.
        The columns: endpoint-h, the hours the endpoint existed; outside-h, those of them outside working
        hours (all of them on the local stack, which has none); starts, the endpoint's starts; cost $ and
        $/image at the instance price; 24/7 $, an always-on endpoint over the same hours; saved $ and saved,
        what the stack did not spend of that, in dollars and per cent.
        With --json: one object per day, then one with "date":"total".
        With --compare: what the stack billed beside every other hosting option on the same uploads (the
        period's CLASSIFIED results, at their upload time), one row each, the stack's own in the unit its hosting
        bills (endpoint-h, or GB-s for serverless) at the report's total cost, every option over the same hours
        (today until now); --json: one object per option. A stack that started after now by this machine's
        clock (a clock behind) has no hours to compare yet, which --compare says, printing no rows.
        """;
  }

  @Override
  public int run(Invocation call) {
    int days = NumberFlags.positive(call.args(), DAYS, 7, MAX_DAYS);
    if (days > MAX_COMPARE_DAYS && call.args().has(HostingOptions.COMPARE.name())) {
      throw CliException.usage("--days with --compare is at most " + MAX_COMPARE_DAYS
          + " (it simulates every hosting option over the period, as simulate does), got " + days);
    }
    CostSettings.checkFlags(call.args());
    Optional<Long> maxWait = Optional.empty();
    if (call.args().has(HostingOptions.MAX_WAIT.name())) {
      if (!call.args().has(HostingOptions.COMPARE.name())) {
        throw CliException.usage("--max-wait is the budget of --compare's misses; add --compare");
      }
      // As simulate's and the stack's MAX_WAIT_MINUTES: SQS keeps a message 14 days.
      maxWait = Optional.of((long)
          NumberFlags.positive(call.args(), HostingOptions.MAX_WAIT, 60, WaitBudget.MAX_MINUTES));
    }
    try (Target target = call.target();
        DynamoDbClient dynamoDb = target.dynamoDb()) {
      // Priced as the stack's controller and its API's /status price it, unless a flag says
      // otherwise.
      CostSettings settings = CostSettings.of(call, target);
      ZoneId zone = settings.zone();
      Instant now = call.context().clock().instant();
      LocalDate to = LocalDate.ofInstant(now, zone);
      LocalDate from = to.minusDays(days - 1L);
      String controlTable = target.name(Target.Name.CONTROL_TABLE);
      // Always-on starts when the stack did, by the rule every reader follows (Ledger.stackStart):
      // the earlier of the ledger's recorded start and the stack's CreationTime
      // (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Stack.html) or the
      // local stack's start; one whose start is not known counts from the first midnight.
      CostReport.StackStart start = target.on(
          Target.Name.CONTROL_TABLE,
          NotFound.TABLE,
          () -> CostReport.stackStart(dynamoDb, controlTable, target.created()));
      Optional<Instant> started = start.at();
      String since = start.how(target.local());
      if (started.isPresent() && LocalDate.ofInstant(started.get(), zone).isAfter(from)) {
        // Days before the stack existed were no days off: they would inflate the saving.
        LocalDate day = LocalDate.ofInstant(started.get(), zone);
        from = day.isAfter(to) ? to : day;
        call.err()
            .println("counting from " + from + " " + HH_MM.format(started.get().atZone(zone))
                + ", when " + target.description() + since);
      }
      // The results table's name only now, after the line above: a stack without it (an older
      // template) is told so once the days counted are said. Each table read once, on its own, so
      // that one that does not exist is named; --compare prices the others on the same reads.
      String resultsTable = target.name(Target.Name.RESULTS_TABLE);
      CostReport report = CostReport.fromAws(
          dynamoDb,
          controlTable,
          resultsTable,
          zone,
          from,
          to,
          settings.prices(),
          started.orElse(from.atStartOfDay(zone).toInstant()),
          now,
          tables(target));
      if (call.args().has(HostingOptions.COMPARE.name())) {
        if (report.nothingToCompareYet()) {
          // No hour to price the other options over.
          call.err()
              .println(report.nothingToCompareYet(target.description() + since, started)
                  + "; --compare covers the hours from then until now: check the clock, or run it"
                  + " again later");
          return 0;
        }
        // --max-wait, else the stack's own budget when it has one in minutes: the misses it is
        // held to.
        Duration budget =
            Duration.ofMinutes(maxWait.orElse(settings.maxWaitMinutes().orElse(60L)));
        var comparison =
            LedgerComparison.compare(report, target.description(), from, settings, budget);
        call.out().print(call.json() ? comparison.toJson() : comparison.renderTable());
        return 0;
      }
      call.out().print(call.json() ? report.toJson() : report.renderTable());
    }
    return 0;
  }

  /** The report's reads of {@code target}'s tables, a table that does not exist named ({@link Target#on}). */
  private static CostReport.Reads tables(Target target) {
    return new CostReport.Reads() {
      @Override
      public <T> T of(CostReport.Table table, Supplier<T> read) {
        return target.on(
            table == CostReport.Table.CONTROL
                ? Target.Name.CONTROL_TABLE
                : Target.Name.RESULTS_TABLE,
            NotFound.TABLE,
            read);
      }
    };
  }
}
