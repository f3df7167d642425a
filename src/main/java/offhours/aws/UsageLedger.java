package offhours.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import offhours.inference.InvocationUsage;
import offhours.units.IanaZones;
import offhours.units.Plurals;
import offhours.units.Shown;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Hosting {@code serverless} bills invocation time x memory and the data sent and received, not endpoint time
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html, "billed by the millisecond" with "the
 * amount of data processed"; prices: https://aws.amazon.com/sagemaker/pricing/). Every caller that invokes the
 * endpoint (Classify's batches and its SnapStart priming, the API's POST /classify, the controller's readiness probe)
 * tallies what reached the model ({@link offhours.inference.InferenceClient#send(byte[], java.time.Duration,
 * InvocationUsage)}) and adds it here to the day's ledger item in the control table (pk "ledger", sk the local date),
 * once however often the SDK retries the write ({@link DynamoCounters}), so that {@code offhours cost} shows the real
 * cost per image. The item is the one the controller adds endpoint time to (offhours.endpoint.DynamoControlTable); the
 * attributes are these callers' own.
 */
public final class UsageLedger {

  /**
   * Whether and where to record: only with HOSTING=serverless.
   *
   * @param table the control table (CONTROL_TABLE_NAME)
   * @param zone the zone of the ledger's days (TIME_ZONE, as the controller's)
   * @param memoryMb the serverless endpoint's memory (SERVERLESS_MEMORY_MB)
   */
  public record Settings(String table, ZoneId zone, int memoryMb) {
    /** Nothing recorded: the hosting bills instance time, which the controller records. */
    public static final Settings NONE = new Settings(null, null, 0);

    public boolean enabled() {
      return table != null;
    }

    /**
     * Reads HOSTING, CONTROL_TABLE_NAME, TIME_ZONE and SERVERLESS_MEMORY_MB; an unset or blank TIME_ZONE or
     * SERVERLESS_MEMORY_MB takes its value in {@code defaults} (the function's variables with the default each
     * assumes, offhours.stack.FunctionVariables), and one without a default there is required.
     */
    public static Settings fromEnv(Map<String, String> env, Map<String, String> defaults) {
      if (!"serverless".equals(env.getOrDefault("HOSTING", "").strip())) {
        return NONE;
      }
      String table = env.getOrDefault("CONTROL_TABLE_NAME", "").strip();
      if (table.isEmpty()) {
        throw new IllegalArgumentException(
            "CONTROL_TABLE_NAME is not set; with HOSTING=serverless each invocation of the"
                + " endpoint is added to the ledger in the control table");
      }
      ZoneId zone = IanaZones.parse("TIME_ZONE", orDefault(env, defaults, "TIME_ZONE"));
      String memory = orDefault(env, defaults, "SERVERLESS_MEMORY_MB");
      if (!memory.matches("1024|2048|3072|4096|5120|6144")) {
        throw new IllegalArgumentException(
            "SERVERLESS_MEMORY_MB must be 1024, 2048, 3072, 4096, 5120 or 6144, got '"
                + Shown.value(memory) + "'");
      }
      return new Settings(table, zone, Integer.parseInt(memory));
    }

    private static String orDefault(
        Map<String, String> env, Map<String, String> defaults, String name) {
      String raw = env.get(name);
      return (raw == null || raw.isBlank() ? defaults.getOrDefault(name, "") : raw).strip();
    }
  }

  /** Told when a tally could not be written: what was lost, and why. */
  public interface Unrecorded {
    void ledgerNotUpdated(long invocations, long millis, Exception error);

    /**
     * The tally is in the ledger once, written by the first attempt of the request, which DynamoDB was still
     * completing when the SDK's retries of it ran out ({@link DynamoCounters.Added#BY_THE_FIRST_ATTEMPT}). Nothing was
     * lost; by default nothing is said.
     */
    default void ledgerUpdatedByTheFirstAttempt(long invocations, long millis) {}

    /**
     * Neither the write nor its resend with the same token got an answer ({@link DynamoCounters.Unconfirmed}): the
     * tally may be in the ledger (once) or not, and nothing says which. By default reported as not updated; the
     * functions' logs say what is true.
     */
    default void ledgerUnconfirmed(long invocations, long millis, Exception error) {
      ledgerNotUpdated(invocations, millis, error);
    }
  }

  /** Records nothing: a hosting that bills instance time (the controller records its endpoint-hours). */
  public static final UsageLedger NONE =
      new UsageLedger(null, Settings.NONE, null, (invocations, millis, error) -> {});

  /** A tally as the functions' log lines say it: "1 invocation, 250 ms". */
  public static String tally(long invocations, long millis) {
    return Plurals.of(invocations, "invocation") + ", " + millis + " ms";
  }

  /** What a log says of a tally whose write was never answered ({@link Unrecorded#ledgerUnconfirmed}). */
  public static String unconfirmed(long invocations, long millis) {
    return "ledger unconfirmed: the write of " + tally(invocations, millis) + " and"
        + " its resend with the same token got no answer; DynamoDB may have applied it (once at most)"
        + " or not, so the ledger may be short by that much";
  }

  private final DynamoDbClient dynamo;
  private final Settings settings;
  private final Clock clock;
  private final Unrecorded log;
  /** What {@link #add(InvocationUsage)} cuts its write after (null: the client's own call timeout). */
  private final Supplier<Duration> timeout;

  public UsageLedger(DynamoDbClient dynamo, Settings settings, Clock clock, Unrecorded log) {
    this(dynamo, settings, clock, log, () -> null);
  }

  private UsageLedger(
      DynamoDbClient dynamo,
      Settings settings,
      Clock clock,
      Unrecorded log,
      Supplier<Duration> timeout) {
    this.dynamo = dynamo;
    this.settings = settings;
    this.clock = clock;
    this.log = log;
    this.timeout = timeout;
  }

  /**
   * This ledger, each {@link #add(InvocationUsage)} cut after what {@code timeout} says as its write starts (as
   * {@link #add(InvocationUsage, Supplier)}): for a caller that adds without knowing the invocation's deadline.
   */
  public UsageLedger within(Supplier<Duration> timeout) {
    return new UsageLedger(dynamo, settings, clock, log, timeout);
  }

  /**
   * A tally for one batch, request or priming to fill: {@link InvocationUsage#UNMETERED} unless this ledger records
   * (HOSTING=serverless), so that other hostings do not meter their calls for nothing.
   */
  public InvocationUsage tally() {
    return settings.enabled() ? new InvocationUsage() : InvocationUsage.UNMETERED;
  }

  /**
   * Adds the tally to today's item. The ledger informs and never fails its caller: a failed write loses that tally
   * and says so through {@link Unrecorded}.
   */
  public void add(InvocationUsage tally) {
    add(tally, timeout);
  }

  /**
   * As {@link #add(InvocationUsage)}, the write cut after what {@code timeout} says when it is about to start (null:
   * the client's own call timeout): a function writes before its invocation's deadline. {@code timeout} may throw to
   * say no time is left: then that is what is lost, and why.
   */
  public void add(InvocationUsage tally, Supplier<Duration> timeout) {
    long n = tally.invocations();
    if (!settings.enabled() || n == 0) {
      return;
    }
    long millis = tally.millis();
    Map<String, Long> increments = new LinkedHashMap<>();
    increments.put("invocations", n);
    increments.put("invocationMillis", millis);
    increments.put("invocationMbMillis", millis * settings.memoryMb());
    increments.put("invocationBytes", tally.bytes());
    try {
      DynamoCounters.Added added = DynamoCounters.add(
          dynamo,
          settings.table(),
          Map.of(
              "pk",
              AttributeValue.fromS("ledger"),
              "sk",
              AttributeValue.fromS(
                  LocalDate.ofInstant(clock.instant(), settings.zone()).toString())),
          increments,
          timeout.get());
      if (added == DynamoCounters.Added.BY_THE_FIRST_ATTEMPT) {
        log.ledgerUpdatedByTheFirstAttempt(n, millis);
      }
    } catch (DynamoCounters.Unconfirmed e) {
      log.ledgerUnconfirmed(n, millis, e);
    } catch (RuntimeException e) { // DynamoDB's answer, and anything else: never the caller's fault
      log.ledgerNotUpdated(n, millis, e);
    }
  }
}
