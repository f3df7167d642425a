package offhours.endpoint;

import static offhours.testing.EventFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.aws.InvocationDeadline;
import offhours.testing.IdleStackAws;
import offhours.testing.StubHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The controller's own lines (the run's EMF line, a decision not recorded, a test invocation the ledger did not count)
 * go to the output its handler is given, never past it to the JVM's standard output: local mode gives its execution
 * environment's, which falls silent once the environment has ended, as a Lambda environment shut down logs nothing;
 * on Lambda it is standard output.
 */
class ControllerOutputTest {

  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(written, true, StandardCharsets.UTF_8);

  /** AWS as an idle Saturday night's run finds it. */
  private final StubHttpServer aws = StubHttpServer.start(IdleStackAws::answer);

  @AfterEach
  void close() {
    aws.close();
  }

  @Test
  void aRunsEmfLineGoesToTheOutputTheHandlerWasGiven() {
    Map<Service, URI> endpoints = new EnumMap<>(Service.class);
    for (Service service : Service.values()) {
      endpoints.put(service, aws.uri());
    }
    try (AwsClients clients = AwsClients.local(Region.EU_CENTRAL_1, endpoints)) {
      Map<String, Object> decision = new ControllerHandler(
              clients,
              ControllerConfig.fromEnvironment(Rig.ENV),
              Clock.fixed(Instant.parse("2026-01-17T02:00:00Z"), ZoneOffset.UTC),
              out)
          .handleRequest(fixture("scheduler-tick.json"), null);

      assertThat(decision).containsEntry("action", "NONE");
    }
    assertThat(written.toString(StandardCharsets.UTF_8).lines())
        .singleElement()
        .asString()
        .startsWith("{\"_aws\":");
  }

  @Test
  void aDecisionNotRecordedAndAProbeTheLedgerDidNotCountAreSaidThereToo() {
    new ControllerHandler(
            new Rig().controller,
            Clock.fixed(Instant.parse("2026-01-14T20:00:00Z"), ZoneOffset.UTC),
            (decision, startedBy) -> {
              throw new IllegalStateException("DynamoDB throttled");
            },
            null,
            new AtomicReference<>(InvocationDeadline.NONE),
            out)
        .handleRequest(fixture("scheduler-tick.json"), null);
    new ControllerHandler.ProbeLedgerLines(out)
        .ledgerNotUpdated(1, 1200, new IllegalStateException("throttled"));
    new ControllerHandler.ProbeLedgerLines(out)
        .ledgerUnconfirmed(1, 1200, new IllegalStateException("no answer"));

    assertThat(written.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "offhours controller: decision not recorded: java.lang.IllegalStateException:"
                + " DynamoDB throttled",
            "offhours controller: ledger not updated: the test invocation (1 invocation, 1200 ms)"
                + " is not counted: java.lang.IllegalStateException: throttled",
            "offhours controller: the test invocation's ledger unconfirmed: the write of 1"
                + " invocation, 1200 ms and its resend with the same token got no answer; DynamoDB"
                + " may have applied it (once at most) or not, so the ledger may be short by that"
                + " much: java.lang.IllegalStateException: no answer");
  }
}
