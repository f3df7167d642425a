package offhours.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;

/**
 * template.yaml turns SnapStart on (unless its SnapStart parameter is false), and SnapStart functions get their
 * credentials from a local endpoint; without it they get the usual key variables.
 */
class AwsClientsLambdaCredentialsTest {

  @Test
  void aSnapStartFunctionReadsCredentialsFromTheEndpointLambdaAnnounces() {
    var provider = CredentialSources.lambda(Map.of(
        "AWS_REGION",
        "eu-central-1",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "http://127.0.0.1:9001/2021-04-23/credentials"));

    assertThat(provider).isInstanceOf(ContainerCredentialsProvider.class);
  }

  @Test
  void theContainerProviderFetchesFromTheAnnouncedEndpoint() throws Exception {
    StubHttpServer server = StubHttpServer.start(request -> request.path().equals("/credentials")
        ? Reply.json(
            200,
            "{\"AccessKeyId\":\"ASIA-SNAP\",\"SecretAccessKey\":\"secret\",\"Token\":\"token\","
                + "\"Expiration\":\"" + Instant.now().plusSeconds(3600) + "\"}")
        : Reply.empty(404));
    String uri = server.uri() + "/credentials";
    // The SDK reads the URI from the environment or, where a test cannot set one, from this system
    // property.
    System.setProperty("aws.containerCredentialsFullUri", uri);
    try {
      var provider = CredentialSources.lambda(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri));

      assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIA-SNAP");
    } finally {
      System.clearProperty("aws.containerCredentialsFullUri");
      server.close();
    }
  }

  @Test
  void anOrdinaryFunctionReadsTheAccessKeyVariables() {
    var provider =
        CredentialSources.lambda(Map.of("AWS_REGION", "eu-central-1", "AWS_ACCESS_KEY_ID", "AKIA"));

    assertThat(provider).isInstanceOf(EnvironmentVariableCredentialsProvider.class);
  }

  @Test
  void withoutARegionTheFunctionCannotStart() {
    assertThatThrownBy(() -> AwsClients.forLambda(Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("AWS_REGION is not set; Lambda sets it for every function");
  }
}
