package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** The event source mapping adapter against a loopback server that answers Lambda's REST API. */
class LambdaMappingTest {
  private HttpServer server;
  private AwsClients clients;
  private LambdaMapping mapping;
  private final List<String> requests = new ArrayList<>();
  private volatile int status = 200;
  private volatile String answer = "{}";

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
    clients = AwsClients.local(Region.EU_CENTRAL_1,
        Map.of(Service.LAMBDA, URI.create("http://127.0.0.1:" + server.getAddress().getPort())));
    mapping = new LambdaMapping(clients.build(Service.LAMBDA, LambdaClient.builder()), "uuid-1");
  }

  private void answer(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + (body.isEmpty() ? "" : " " + body));
    byte[] out = answer.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    if (status == 404) {
      exchange.getResponseHeaders().add("x-amzn-ErrorType", "ResourceNotFoundException");
    }
    exchange.sendResponseHeaders(status, out.length);
    exchange.getResponseBody().write(out);
    exchange.close();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    clients.close();
  }

  @Test
  void readsTheState() {
    answer = "{\"UUID\":\"uuid-1\",\"State\":\"Disabling\",\"BatchSize\":10}";
    assertThat(mapping.state()).isEqualTo(Mapping.TriggerState.DISABLING);
    answer = "{\"UUID\":\"uuid-1\",\"State\":\"Enabled\"}";
    assertThat(mapping.state()).isEqualTo(Mapping.TriggerState.ENABLED);
    assertThat(requests).containsOnly("GET /2015-03-31/event-source-mappings/uuid-1");
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
    assertThat(requests).containsExactly(
        "PUT /2015-03-31/event-source-mappings/uuid-1 {\"Enabled\":true}",
        "PUT /2015-03-31/event-source-mappings/uuid-1 {\"Enabled\":false}");
  }
}
