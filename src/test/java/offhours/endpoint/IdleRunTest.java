package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import offhours.stack.IdleCost;
import offhours.stack.StackSpec;
import offhours.testing.LambdaContexts;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

/**
 * One idle controller run (endpoint off, nothing waits, outside working hours) as the handler makes it with the real
 * control-table adapter: what it asks of DynamoDB, what it logs and which metrics it publishes. README's fixed-cost
 * table (offhours.stack.IdleCost.IDLE_RUN) prices these figures.
 */
class IdleRunTest {

  /**
   * DynamoDB as far as the control table uses it, in memory, counting requests and request units: a strongly
   * consistent read is one unit per 4 KB, a write one per 1 KB of the item
   * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html).
   */
  private static final class RecordingDynamo implements InvocationHandler {
    final Map<String, Map<String, AttributeValue>> items = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    int readUnits;
    int writeUnits;

    DynamoDbClient client() {
      return (DynamoDbClient) Proxy.newProxyInstance(
          DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class}, this);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (args != null && args.length == 1 && args[0] instanceof Consumer<?>) {
        return InvocationHandler.invokeDefault(
            proxy, method, args); // builds the request, calls back
      }
      calls.add(method.getName());
      return switch (method.getName()) {
        case "getItem" -> {
          GetItemRequest r = (GetItemRequest) args[0];
          Map<String, AttributeValue> item = items.get(key(r.key()));
          readUnits += units(item == null ? 0 : size(item), 4096);
          yield GetItemResponse.builder().item(item).build();
        }
        case "putItem" -> {
          PutItemRequest r = (PutItemRequest) args[0];
          writeUnits += units(size(r.item()), 1024);
          items.put(key(r.item()), r.item());
          yield PutItemResponse.builder().build();
        }
        default -> throw new UnsupportedOperationException(method.getName());
      };
    }

    private static String key(Map<String, AttributeValue> item) {
      return item.get("pk").s() + "/" + item.get("sk").s();
    }

    private static int units(int bytes, int unit) {
      return Math.max(1, (bytes + unit - 1) / unit);
    }

    /** An item's size as DynamoDB counts it, rounded up: names, strings, about a byte per digit of numbers. */
    private static int size(Map<String, AttributeValue> item) {
      int bytes = 0;
      for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
        bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + size(e.getValue());
      }
      return bytes;
    }

    private static int size(AttributeValue v) {
      if (v.s() != null) {
        return v.s().getBytes(StandardCharsets.UTF_8).length;
      }
      if (v.n() != null) {
        return v.n().length() + 1;
      }
      if (v.hasL()) {
        return 3 + v.l().stream().mapToInt(e -> 1 + size(e)).sum();
      }
      return 1;
    }
  }

  @Test
  void anIdleRunReadsOnceWritesTwiceLogsTwoLinesAndPublishesOnlyTheHeartbeat() throws Exception {
    Rig rig = new Rig();
    RecordingDynamo dynamo = new RecordingDynamo();
    DynamoControlTable control = new DynamoControlTable(dynamo.client(), "offhours-control");
    List<Instant> timers = new ArrayList<>();
    Instant saturdayNight = Instant.parse("2026-01-17T02:00:00Z");
    EndpointController controller =
        rig.controller(ControllerConfig.fromEnvironment(Rig.ENV), control, control);
    Map<String, Object> tick = new ObjectMapper().readValue(StackSpec.SCHEDULER_TICK, Map.class);
    List<String> logged = new ArrayList<>();

    new ControllerHandler(
            controller,
            Clock.fixed(saturdayNight, ZoneOffset.UTC),
            control::recordDecision,
            new TimerArming(control, (at, delay) -> timers.add(at)))
        .handleRequest(
            tick, LambdaContexts.loggingTo(logged, 60_000)); // the first run creates the state
    dynamo.calls.clear();
    dynamo.readUnits = 0;
    dynamo.writeUnits = 0;
    logged.clear();
    Map<String, Object> decision = new ControllerHandler(
            controller,
            Clock.fixed(saturdayNight.plusSeconds(60), ZoneOffset.UTC),
            control::recordDecision,
            new TimerArming(control, (at, delay) -> timers.add(at)))
        .handleRequest(tick, LambdaContexts.loggingTo(logged, 60_000));

    assertThat(decision.get("action")).isEqualTo("NONE");
    assertThat(timers).as("an idle run arms no timer").isEmpty();
    assertThat(dynamo.calls)
        .as("the control state read and written, the decision recorded")
        .containsExactly("getItem", "putItem", "putItem");
    assertThat(dynamo.readUnits).isEqualTo(IdleCost.IDLE_RUN.readUnits());
    assertThat(dynamo.writeUnits).isEqualTo(IdleCost.IDLE_RUN.writeUnits());

    String emf = rig.metrics.getLast();
    assertThat(new ObjectMapper()
            .readTree(emf)
            .get("_aws")
            .get("CloudWatchMetrics")
            .get(0)
            .get("Metrics")
            .size())
        .isEqualTo(IdleCost.DEFAULT.idleCustomMetrics());
    assertThat(logged).hasSize(1);
    int bytes = 0;
    for (String line : List.of(logged.getFirst(), emf)) {
      bytes += line.getBytes(StandardCharsets.UTF_8).length + 1; // each line ends in a newline
    }
    // On AWS the endpoint's name carries the stack's 8-character suffix and the clock nanoseconds:
    // 19 bytes more.
    assertThat(bytes + 19)
        .as("the controller's lines of an idle run: %s%n%s", logged.getFirst(), emf)
        .isLessThanOrEqualTo(IdleCost.IDLE_RUN.functionLogBytes())
        .isGreaterThan(IdleCost.IDLE_RUN.functionLogBytes() - 40);
  }
}
