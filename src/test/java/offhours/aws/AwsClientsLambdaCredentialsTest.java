package offhours.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;

/** template.yaml turns SnapStart on, and SnapStart functions get their credentials from a local endpoint. */
class AwsClientsLambdaCredentialsTest {

  @Test
  void aSnapStartFunctionReadsCredentialsFromTheEndpointLambdaAnnounces() {
    var provider = AwsClients.lambdaCredentials(Map.of("AWS_REGION", "eu-central-1",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9001/2021-04-23/credentials"));

    assertThat(provider).isInstanceOf(ContainerCredentialsProvider.class);
  }

  @Test
  void theContainerProviderFetchesFromTheAnnouncedEndpoint() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/credentials", exchange -> {
      byte[] body = ("{\"AccessKeyId\":\"ASIA-SNAP\",\"SecretAccessKey\":\"secret\",\"Token\":\"token\","
          + "\"Expiration\":\"" + Instant.now().plusSeconds(3600) + "\"}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/credentials";
    // The SDK reads the URI from the environment or, where a test cannot set one, from this system property.
    System.setProperty("aws.containerCredentialsFullUri", uri);
    try {
      var provider = AwsClients.lambdaCredentials(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri));

      assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIA-SNAP");
    } finally {
      System.clearProperty("aws.containerCredentialsFullUri");
      server.stop(0);
    }
  }

  @Test
  void anOrdinaryFunctionReadsTheAccessKeyVariables() {
    var provider = AwsClients.lambdaCredentials(Map.of("AWS_REGION", "eu-central-1", "AWS_ACCESS_KEY_ID", "AKIA"));

    assertThat(provider).isInstanceOf(EnvironmentVariableCredentialsProvider.class);
  }

  @Test
  void withoutARegionTheFunctionCannotStart() {
    assertThatThrownBy(() -> AwsClients.forLambda(Map.of()))
        .isInstanceOf(IllegalStateException.class).hasMessage("AWS_REGION is not set; Lambda sets it for every function");
  }
}
