package offhours.api;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import offhours.endpoint.Backlog;
import offhours.endpoint.ControlState;
import offhours.endpoint.Decision;
import offhours.endpoint.DynamoControlTable;
import offhours.endpoint.Ledger;
import offhours.endpoint.RecordedDecision;
import offhours.endpoint.ServerlessUsage;
import offhours.endpoint.SqsBacklog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What the stack is doing, read without the SageMaker control plane: the controller's last decision and state (both
 * in the control table, written by every run), the queue and the DLQ (GetQueueAttributes, now) and today's ledger:
 * the controller's endpoint time and the serverless invocations recorded (offhours.aws.UsageLedger).
 * Each part says when it was observed, since the controller's view is as old as its last run.
 */
public final class StackObserver {

  /**
   * @param at when the queue and the tables were read
   * @param decision the controller's last decision, empty before its first run; its {@code at} is when it observed
   *     the endpoint and the trigger
   * @param today today's ledger (in {@code zone}), zero when the endpoint has not existed today
   * @param startedBy what started the run that made {@code decision} ({@link RecordedDecision#startedBy}), or null
   * @param serverless today's serverless invocations (offhours.aws.UsageLedger), none for the other hostings
   * @param ledgerStart the stack's start: the ledger's ({@link Ledger#started}, recorded by the controller), or the
   *     earlier one a reader knows ({@link #startingAt}); empty when neither: today counts from midnight
   */
  public record Observed(
      Instant at,
      Optional<Decision> decision,
      ControlState control,
      Backlog.Snapshot queue,
      Ledger.Day today,
      ZoneId zone,
      String startedBy,
      ServerlessUsage serverless,
      Optional<Instant> ledgerStart) {

    public Observed {
      Objects.requireNonNull(serverless, "serverless");
      Objects.requireNonNull(ledgerStart, "ledgerStart");
    }

    /**
     * As observed by a reader that knows the stack's start otherwise ({@code known}: the CLI's page, from CreationTime
     * or the local stack's state file), which counts where it is earlier than the ledger's recorded start, or there is
     * none ({@link Ledger#stackStart}).
     */
    public Observed startingAt(Instant known) {
      return new Observed(
          at,
          decision,
          control,
          queue,
          today,
          zone,
          startedBy,
          serverless,
          Ledger.stackStart(ledgerStart, Optional.of(known)));
    }

    /**
     * Where today's always-on starts: the stack's start ({@link Ledger#stackStart}) when that is today, else midnight:
     * /status knows no start but the ledger's, and midnight of the ledger's first day, the start an older stack
     * without one is given ({@code RunLedger.startOf}), is never later than today's.
     */
    public Instant alwaysOnSince() {
      Instant midnight = today.date().atStartOfDay(zone).toInstant();
      return ledgerStart.filter(midnight::isBefore).orElse(midnight);
    }
  }

  private final DynamoControlTable control;
  private final Backlog backlog;
  private final ZoneId zone;
  private final Clock clock;
  private final Function<Ledger, Optional<Instant>> ledgerStart;

  /**
   * {@code ledgerStart} reads the ledger's start from the control table it is given ({@code Ledger::started}), or
   * answers what its caller kept of it (the API keeps it once read: it is written once, {@link Ledger#started}).
   */
  public StackObserver(
      DynamoDbClient dynamo,
      SqsClient sqs,
      String controlTable,
      String queueUrl,
      String dlqUrl,
      ZoneId zone,
      Clock clock,
      Function<Ledger, Optional<Instant>> ledgerStart) {
    this.control = new DynamoControlTable(dynamo, controlTable);
    this.backlog = new SqsBacklog(sqs, queueUrl, dlqUrl);
    this.zone = Objects.requireNonNull(zone, "zone");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ledgerStart = Objects.requireNonNull(ledgerStart, "ledgerStart");
  }

  public Observed observe() {
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, zone);
    DynamoControlTable.LedgerRange ledger = control.ledger(today, today);
    Ledger.Day day = ledger.days().stream().findFirst().orElse(new Ledger.Day(today, 0, 0, 0, 0));
    Optional<RecordedDecision> last = control.lastRecorded();
    return new Observed(
        now,
        last.map(RecordedDecision::decision),
        control.load().orElse(ControlState.INITIAL),
        backlog.read(),
        day,
        zone,
        last.map(RecordedDecision::startedBy).orElse(null),
        ledger.serverless().getOrDefault(today, ServerlessUsage.NONE),
        ledgerStart.apply(control));
  }
}
