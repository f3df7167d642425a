package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The response goes over real HTTP to a loopback server standing in for the pre-signed S3 URL. */
class EndpointCleanupHandlerTest {
  private final Rig rig = new Rig();
  private final List<String> methods = new ArrayList<>();
  private final List<String> bodies = new ArrayList<>();
  private HttpServer server;
  private EndpointCleanupHandler handler;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      methods.add(exchange.getRequestMethod());
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    Endpoint endpoint = new Endpoint() {
      @Override public Status describe() { return rig.endpoint; }
      @Override public void create() { throw new AssertionError("cleanup never creates"); }
      @Override public void delete() {
        rig.calls.add("delete");
        if (rig.createError != null) {
          throw rig.createError;
        }
      }
      @Override public Probe probe() { throw new AssertionError("cleanup never invokes"); }
    };
    Mapping mapping = new Mapping() {
      @Override public State state() { return rig.mapping; }
      @Override public void enable() { throw new AssertionError("cleanup never enables"); }
      @Override public void disable() { rig.calls.add("disable"); }
    };
    handler = new EndpointCleanupHandler(endpoint, mapping, rig.table, "offhours-endpoint-cleanup",
        HttpClient.newHttpClient());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Map<String, Object> event(String type) {
    Map<String, Object> e = new HashMap<>();
    e.put("RequestType", type);
    e.put("ResponseURL", "http://127.0.0.1:" + server.getAddress().getPort() + "/cfn-response?X-Amz-Signature=abc");
    e.put("StackId", "arn:aws:cloudformation:eu-central-1:123456789012:stack/offhours/guid");
    e.put("RequestId", "req-1");
    e.put("LogicalResourceId", "EndpointCleanup");
    e.put("ResourceType", "Custom::EndpointCleanup");
    return e;
  }

  private JsonNode sent() throws IOException {
    assertThat(methods).containsExactly("PUT");
    return new ObjectMapper().readTree(bodies.getFirst());
  }

  @Test
  void createSucceedsWithoutTouchingAnything() throws IOException {
    handler.handleRequest(event("Create"), null);
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(r.get("PhysicalResourceId").asText()).isEqualTo("offhours-endpoint-cleanup");
    assertThat(r.get("StackId").asText()).isEqualTo("arn:aws:cloudformation:eu-central-1:123456789012:stack/offhours/guid");
    assertThat(r.get("RequestId").asText()).isEqualTo("req-1");
    assertThat(r.get("LogicalResourceId").asText()).isEqualTo("EndpointCleanup");
    assertThat(rig.calls).isEmpty();
  }

  @Test
  void updateKeepsThePhysicalResourceId() throws IOException {
    Map<String, Object> e = event("Update");
    e.put("PhysicalResourceId", "existing-id");
    handler.handleRequest(e, null);
    assertThat(sent().get("PhysicalResourceId").asText()).isEqualTo("existing-id");
  }

  @Test
  void deleteDisablesTheMappingThenDeletesALiveEndpoint() throws IOException {
    rig.mapping = Mapping.State.ENABLED;
    rig.inService();
    Map<String, Object> e = new HashMap<>(ControllerHandlerTest.fixture("cfn-endpoint-cleanup-delete.json"));
    e.put("ResponseURL", event("Delete").get("ResponseURL"));
    handler.handleRequest(e, null);
    JsonNode r = sent();
    assertThat(r.get("PhysicalResourceId").asText()).isEqualTo("offhours-endpoint-cleanup-offhours-endpoint");
    assertThat(r.get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(r.get("Reason").asText()).isEqualTo("deleted endpoint (was IN_SERVICE)");
    assertThat(rig.calls).containsExactly("disable", "delete");
    // A controller run still in flight finds a stop "until auto" and does not create the endpoint again.
    assertThat(rig.state().override()).isEqualTo(new ControlState.Override(ControlState.Override.Mode.STOP, null));
    rig.endpoint = Endpoint.Status.ABSENT;
    rig.mapping = Mapping.State.DISABLED;
    Decision late = rig.runAt("2026-01-14T10:00:00Z");
    assertThat(late.wantReason()).isEqualTo("manual stop until auto");
    assertThat(late.action()).isEqualTo(Decision.Action.NONE);
  }

  @Test
  void deleteSucceedsWhenEverythingIsAlreadyGone() throws IOException {
    rig.mapping = Mapping.State.ABSENT;
    handler.handleRequest(event("Delete"), null);
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(r.get("Reason").asText()).isEqualTo("endpoint already absent");
    assertThat(rig.calls).isEmpty();
  }

  @Test
  void aRealErrorAnswersFailedWithTheReasonSoTheBillIsNotOrphanedSilently() throws IOException {
    rig.inService();
    rig.createError = new IllegalStateException("AccessDeniedException: not authorized to perform sagemaker:DeleteEndpoint");
    handler.handleRequest(event("Delete"), null);
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("FAILED");
    assertThat(r.get("Reason").asText()).isEqualTo("could not delete the endpoint: AccessDeniedException: not "
        + "authorized to perform sagemaker:DeleteEndpoint; delete it with 'aws sagemaker delete-endpoint' or retry the "
        + "stack deletion");
  }
}
