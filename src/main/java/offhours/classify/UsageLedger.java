package offhours.classify;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Hosting {@code serverless} bills invocation time x memory, not endpoint time
 * (https://aws.amazon.com/sagemaker/ai/pricing/, "Serverless Inference"): after each batch Classify adds what it spent
 * to the day's ledger item in the control table (pk "ledger", sk the local date), with one atomic ADD, so that
 * {@code offhours cost} shows the real cost per image. The item is the one the controller adds endpoint time to
 * (offhours.endpoint.DynamoControlTable); the attributes are Classify's own.
 */
final class UsageLedger {

  /**
   * Whether and where to record: only with HOSTING=serverless.
   *
   * @param table the control table (CONTROL_TABLE_NAME)
   * @param zone the zone of the ledger's days (TIME_ZONE, as the controller's)
   * @param memoryMb the serverless endpoint's memory (SERVERLESS_MEMORY_MB)
   */
  record Settings(String table, ZoneId zone, int memoryMb) {
    /** Nothing recorded: the hosting bills instance time, which the controller records. */
    static final Settings NONE = new Settings(null, null, 0);

    boolean enabled() {
      return table != null;
    }

    static Settings fromEnv(Map<String, String> env) {
      if (!"serverless".equals(env.getOrDefault("HOSTING", "").strip())) {
        return NONE;
      }
      String table = env.getOrDefault("CONTROL_TABLE_NAME", "").strip();
      if (table.isEmpty()) {
        throw new IllegalArgumentException(
            "CONTROL_TABLE_NAME is not set; with HOSTING=serverless Classify adds its"
                + " invocation time to the ledger in the control table");
      }
      ZoneId zone;
      try {
        zone = ZoneId.of(env.getOrDefault("TIME_ZONE", "UTC").strip());
      } catch (DateTimeException e) {
        throw new IllegalArgumentException(
            "TIME_ZONE '" + env.get("TIME_ZONE") + "' is not an IANA time zone id", e);
      }
      String memory = env.getOrDefault("SERVERLESS_MEMORY_MB", "").strip();
      if (!memory.matches("1024|2048|3072|4096|5120|6144")) {
        throw new IllegalArgumentException(
            "SERVERLESS_MEMORY_MB must be 1024, 2048, 3072, 4096, 5120 or 6144, got '" + memory
                + "'");
      }
      return new Settings(table, zone, Integer.parseInt(memory));
    }
  }

  /**
   * What one batch spent on the endpoint: invocations that reached the model, their time, and the bytes sent and
   * received (the image and the body InvokeEndpoint answered), as Serverless Inference bills data processed in and
   * out (https://aws.amazon.com/sagemaker/pricing/).
   */
  static final class BatchUsage {
    private final LongAdder invocations = new LongAdder();
    private final LongAdder millis = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    void add(long elapsedMillis, long sentBytes, long receivedBytes) {
      invocations.increment();
      millis.add(elapsedMillis);
      bytes.add(sentBytes + receivedBytes);
    }
  }

  private final DynamoDbClient dynamo;
  private final Settings settings;
  private final Clock clock;
  private final OutcomeLog log;

  UsageLedger(DynamoDbClient dynamo, Settings settings, Clock clock, OutcomeLog log) {
    this.dynamo = dynamo;
    this.settings = settings;
    this.clock = clock;
    this.log = log;
  }

  /**
   * Adds the batch's tally to today's item. The ledger informs and never fails a batch: a failed write loses that
   * batch's seconds and says so in the log.
   */
  void add(BatchUsage tally) {
    long n = tally.invocations.sum();
    if (!settings.enabled() || n == 0) {
      return;
    }
    long millis = tally.millis.sum();
    try {
      dynamo.updateItem(b -> b.tableName(settings.table())
          .key(Map.of(
              "pk",
              AttributeValue.fromS("ledger"),
              "sk",
              AttributeValue.fromS(
                  LocalDate.ofInstant(clock.instant(), settings.zone()).toString())))
          .updateExpression(
              "ADD invocations :n, invocationMillis :ms, invocationMbMillis :mbms, invocationBytes :b")
          .expressionAttributeValues(Map.of(
              ":n",
              number(n),
              ":ms",
              number(millis),
              ":mbms",
              number(millis * settings.memoryMb()),
              ":b",
              number(tally.bytes.sum()))));
    } catch (RuntimeException e) { // SDK errors and anything else: never the batch's fault
      log.ledgerNotUpdated(n, millis, e);
    }
  }

  private static AttributeValue number(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }
}
