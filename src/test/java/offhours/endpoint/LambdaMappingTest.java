package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import offhours.testing.StubHttpServer.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** The event source mapping adapter against a loopback server that answers Lambda's REST API. */
class LambdaMappingTest {
  private StubHttpServer server;
  private AwsClients clients;
  private LambdaMapping mapping;
  private volatile int status = 200;
  private volatile String answer = "{}";

  @BeforeEach
  void start() throws IOException {
    server = StubHttpServer.start(this::answer);
    clients = AwsClients.local(Region.EU_CENTRAL_1, Map.of(Service.LAMBDA, server.uri()));
    mapping = new LambdaMapping(clients.build(Service.LAMBDA, LambdaClient.builder()), "uuid-1");
  }

  private Reply answer(Request request) {
    Reply reply = Reply.json(status, answer);
    return status == 404
        ? reply.withHeader("x-amzn-ErrorType", "ResourceNotFoundException")
        : reply;
  }

  /** "METHOD /path body" of each request. */
  private List<String> requests() {
    return server.requests().stream()
        .map(r -> r.method() + " " + r.path() + (r.body().length == 0 ? "" : " " + r.text()))
        .toList();
  }

  @AfterEach
  void stop() {
    server.close();
    clients.close();
  }

  @Test
  void readsTheState() {
    answer = "{\"UUID\":\"uuid-1\",\"State\":\"Disabling\",\"BatchSize\":10}";
    assertThat(mapping.state()).isEqualTo(Mapping.TriggerState.DISABLING);
    answer = "{\"UUID\":\"uuid-1\",\"State\":\"Enabled\"}";
    assertThat(mapping.state()).isEqualTo(Mapping.TriggerState.ENABLED);
    assertThat(requests()).containsOnly("GET /2015-03-31/event-source-mappings/uuid-1");
  }

  @Test
  void aMissingMappingIsAbsentAndDisablingItIsANoOp() {
    status = 404;
    answer = "{\"Type\":\"User\",\"Message\":\"The resource you requested does not exist.\"}";
    assertThat(mapping.state()).isEqualTo(Mapping.TriggerState.ABSENT);
    mapping.disable();
  }

  @Test
  void enableAndDisableUpdateTheMapping() {
    answer = "{\"UUID\":\"uuid-1\",\"State\":\"Enabling\"}";
    mapping.enable();
    mapping.disable();
    assertThat(requests())
        .containsExactly(
            "PUT /2015-03-31/event-source-mappings/uuid-1 {\"Enabled\":true}",
            "PUT /2015-03-31/event-source-mappings/uuid-1 {\"Enabled\":false}");
  }
}
