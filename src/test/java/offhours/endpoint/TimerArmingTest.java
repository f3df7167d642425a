package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import offhours.endpoint.sim.MemoryControlTable;
import offhours.testing.AwsAnswers;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.sqs.model.SqsException;

class TimerArmingTest {
  private static final String ACCOUNT = "123456789012";
  private static final Instant NOW = Instant.parse("2026-01-14T09:00:00Z");

  private static OptionalLong delay(String wanted, String armed) {
    return TimerArming.delaySeconds(
        wanted == null ? null : Instant.parse(wanted),
        armed == null ? null : Instant.parse(armed),
        NOW);
  }

  @Test
  void aWantedInstantAheadIsArmedWithTheSecondsUntilItRoundedUp() {
    assertThat(delay("2026-01-14T09:00:30Z", null)).hasValue(30);
    assertThat(delay("2026-01-14T09:00:30.001Z", null)).hasValue(31);
    assertThat(delay("2026-01-14T09:00:00.400Z", null)).hasValue(1);
  }

  @Test
  void aTimerArmedAtOrBeforeTheWantedInstantAndStillAheadSendsNothing() {
    assertThat(delay("2026-01-14T09:05:00Z", "2026-01-14T09:02:00Z")).isEmpty();
    assertThat(delay("2026-01-14T09:05:00Z", "2026-01-14T09:05:00Z")).isEmpty();
  }

  @Test
  void aTimerArmedLaterThanTheWantedInstantDoesNotStopAnEarlierOne() {
    assertThat(delay("2026-01-14T09:05:00Z", "2026-01-14T09:10:00Z")).hasValue(300);
  }

  @Test
  void aTimerArmedForAnInstantThatHasPassedCountsForNothing() {
    assertThat(delay("2026-01-14T09:05:00Z", "2026-01-14T08:59:00Z")).hasValue(300);
    assertThat(delay("2026-01-14T09:05:00Z", "2026-01-14T09:00:00Z")).hasValue(300);
  }

  @Test
  void sqsLongestDelayIsTheLimit() {
    assertThat(delay("2026-01-14T09:15:00Z", null)).as("exactly 900 s").hasValue(900);
    assertThat(delay("2026-01-14T09:15:00.001Z", null)).as("just past 900 s").isEmpty();
    assertThat(delay("2026-01-14T10:00:00Z", null)).isEmpty();
  }

  @Test
  void nothingWantedOrWantedNowSendsNothing() {
    assertThat(delay(null, null)).isEmpty();
    assertThat(delay("2026-01-14T09:00:00Z", null)).isEmpty();
    assertThat(delay("2026-01-14T08:59:59Z", null)).isEmpty();
  }

  // ---- arming against the control state

  private final MemoryControlTable table = new MemoryControlTable();
  private final List<String> sent = new ArrayList<>();
  private final TimerArming arming =
      new TimerArming(table, (runAt, delay) -> sent.add(runAt + " in " + delay + " s"));

  private static Decision wanting(Instant at, Instant next) {
    return new Decision(
        at,
        false,
        "manual stop",
        Endpoint.Status.ABSENT,
        Mapping.TriggerState.DISABLED,
        Backlog.Snapshot.EMPTY,
        Decision.Action.DISABLE_MAPPING,
        "pause",
        "ok",
        false,
        next);
  }

  @Test
  void manyRunsWantingOneInstantSendOneMessageAndRememberIt() {
    table.save(ControlState.INITIAL.withVersion(1), 0);
    Instant wanted = NOW.plusSeconds(30);

    assertThat(arming.arm(wanting(NOW, wanted), NOW))
        .isEqualTo("timer armed for 2026-01-14T09:00:30Z (DelaySeconds 30)");
    assertThat(arming.arm(wanting(NOW.plusSeconds(10), wanted), NOW.plusSeconds(10)))
        .isEqualTo("timer already armed for 2026-01-14T09:00:30Z");
    assertThat(
            arming.arm(wanting(NOW.plusSeconds(20), wanted.plusSeconds(60)), NOW.plusSeconds(20)))
        .isEqualTo("timer already armed for 2026-01-14T09:00:30Z");

    assertThat(sent).containsExactly("2026-01-14T09:00:30Z in 30 s");
    assertThat(table.load().orElseThrow().timerAt()).isEqualTo(wanted);
    assertThat(table.load().orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void onceTheArmedInstantHasPassedTheNextWishIsArmed() {
    table.save(ControlState.INITIAL.withVersion(1), 0);
    arming.arm(wanting(NOW, NOW.plusSeconds(30)), NOW);
    Instant later = NOW.plusSeconds(31);

    assertThat(arming.arm(wanting(later, later.plusSeconds(30)), later))
        .isEqualTo("timer armed for 2026-01-14T09:01:01Z (DelaySeconds 30)");
    assertThat(sent).hasSize(2);
  }

  @Test
  void anInstantBeyondFifteenMinutesIsLeftToTheTick() {
    table.save(ControlState.INITIAL.withVersion(1), 0);

    assertThat(arming.arm(wanting(NOW, NOW.plusSeconds(3600)), NOW))
        .isEqualTo("next run 2026-01-14T10:00:00Z is more than 900 s ahead; a later tick arms it");
    assertThat(arming.arm(wanting(NOW, null), NOW)).isEqualTo("no timer wanted");
    assertThat(sent).isEmpty();
    assertThat(table.load().orElseThrow().timerAt()).isNull();
  }

  @Test
  void aFailedSendIsReportedNeverThrownAndLeavesTheTimerUnarmed() {
    table.save(ControlState.INITIAL.withVersion(1), 0);
    TimerArming failing = new TimerArming(table, (runAt, delay) -> {
      throw new IllegalStateException("SQS throttled");
    });

    assertThat(failing.arm(wanting(NOW, NOW.plusSeconds(30)), NOW))
        .isEqualTo(
            "timer for 2026-01-14T09:00:30Z not armed, the minute tick runs instead: SQS throttled");
    assertThat(table.load().orElseThrow().timerAt())
        .as("a later run may arm it")
        .isNull();
    assertThat(arming.arm(wanting(NOW, NOW.plusSeconds(30)), NOW)).startsWith("timer armed for");
  }

  @Test
  void whatAwsAnsweredAFailedSendIsHandedToTheLogLineNotToTheNote() {
    table.save(ControlState.INITIAL.withVersion(1), 0);
    TimerArming failing = new TimerArming(table, (runAt, delay) -> {
      throw AwsAnswers.refusal(
          SqsException.builder(), 403, "9e0f", "AccessDenied", "account " + ACCOUNT, "Sqs");
    });
    List<String> awsSaid = new ArrayList<>();

    String note = failing.arm(wanting(NOW, NOW.plusSeconds(30)), NOW, awsSaid);

    assertThat(note)
        .contains("SendMessage to the timer queue was refused")
        .doesNotContain(ACCOUNT, "9e0f");
    assertThat(awsSaid)
        .containsExactly("AWS's answer to SendMessage to the timer queue: AccessDenied (HTTP 403,"
            + " request 9e0f): account " + ACCOUNT);
  }

  @Test
  void whatAwsAnsweredAFailedControlStateReadIsHandedToTheLogLine() {
    TimerArming broken = new TimerArming(
        loadFailing(AwsAnswers.refusal(
            DynamoDbException.builder(), 400, "1b2c", "ThrottlingException", "slow", "DynamoDb")),
        (runAt, delay) -> sent.add("sent"));
    List<String> awsSaid = new ArrayList<>();

    assertThat(broken.arm(wanting(NOW, NOW.plusSeconds(30)), NOW, awsSaid))
        .contains("the control state's read or write was throttled")
        .doesNotContain("1b2c");
    assertThat(awsSaid)
        .containsExactly("AWS's answer to the control state's read or write: ThrottlingException"
            + " (HTTP 400, request 1b2c): slow");
  }

  @Test
  void aControlTableThatFailsIsReportedNeverThrown() {
    TimerArming broken = new TimerArming(
        loadFailing(new IllegalStateException("DynamoDB unavailable")),
        (runAt, delay) -> sent.add("sent"));

    assertThat(broken.arm(wanting(NOW, NOW.plusSeconds(30)), NOW))
        .endsWith("not armed, the minute tick runs instead: DynamoDB unavailable");
    assertThat(sent).isEmpty();
  }

  /** A control table whose every read throws {@code failure}. */
  private static ControlStore loadFailing(RuntimeException failure) {
    return new ControlStore() {
      @Override
      public java.util.Optional<ControlState> load() {
        throw failure;
      }

      @Override
      public boolean save(ControlState next, long expectedVersion) {
        return false;
      }

      @Override
      public boolean save(ControlState next, long expectedVersion, List<Ledger.Day> counted) {
        return false;
      }
    };
  }
}
