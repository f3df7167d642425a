package offhours.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.cert.CertificateException;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import offhours.aws.CredentialSources;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Which failed reads of the page's are this machine's setup, told by the exceptions in their causes: no credentials
 * (as the SDK throws a chain's failure, through {@link CredentialSources#markingNone}), a certificate not trusted, an
 * endpoint URL the SDK cannot send to; and which are the network's, said as a stack that did not answer.
 */
class LocalSetupTest {

  /** Nothing listens here, and no read below reaches it. */
  private static final URI NOWHERE = URI.create("http://127.0.0.1:9");

  @Test
  void noCredentialsIsThisMachinesSetupAndSaysWhatToDo() {
    AwsCredentialsProvider none = CredentialSources.markingNone(() -> {
      throw SdkClientException.create(
          "Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain(...)");
    });
    Throwable failure = catchThrowable(() -> read(none, NOWHERE));

    assertThat(failure)
        .as("in the SDK's words, for the log")
        .isInstanceOf(SdkClientException.class)
        .hasMessageStartingWith("Unable to load credentials");
    assertThat(CredentialSources.noneIn(failure))
        .as("what the command line tells it by too")
        .isPresent();
    assertThat(PageDeadline.answeredIn(failure)).isFalse();
    assertThat(LocalSetup.in(failure))
        .startsWith("this machine has no AWS credentials for the page's reads (profile ")
        .contains("so the stack was not asked: run 'aws configure', or 'aws sso login --profile ")
        .contains("AWS_ACCESS_KEY_ID");
  }

  @Test
  void aCredentialRefreshTheNetworkStoppedIsNoMissingCredentials() {
    // A chain reuses the provider that gave credentials before (an IAM Identity Center or role
    // profile) and throws
    // its failure as is: here the network's, on the way to the service that refreshes them.
    AwsCredentialsProvider refreshing = CredentialSources.markingNone(() -> {
      throw SdkClientException.create(
          "Unable to execute HTTP request: portal.sso.eu-west-1.amazonaws.com",
          new UnknownHostException("portal.sso.eu-west-1.amazonaws.com"));
    });
    Throwable failure = catchThrowable(() -> read(refreshing, NOWHERE));

    assertThat(failure).hasRootCauseInstanceOf(UnknownHostException.class);
    assertThat(LocalSetup.in(failure))
        .as("said as the network's, as a read of the stack's would be, not as 'run aws configure'")
        .isNull();
  }

  @Test
  void aCredentialFileGoneIsStillNoCredentials() {
    // The reused provider's failure to read a file (an SSO cache 'aws sso logout' deleted):
    // none of the network's.
    AwsCredentialsProvider loggedOut = CredentialSources.markingNone(() -> {
      throw SdkClientException.create(
          "Unable to load SSO token",
          new UncheckedIOException(new NoSuchFileException("~/.aws/sso/cache/0123.json")));
    });
    Throwable failure = catchThrowable(() -> read(loggedOut, NOWHERE));

    assertThat(LocalSetup.in(failure))
        .startsWith("this machine has no AWS credentials for the page's reads");
  }

  @Test
  void aCertificateThisMachineDoesNotTrustIsItsSetup() {
    SSLHandshakeException handshake =
        new SSLHandshakeException("(certificate_unknown) PKIX path building failed");
    handshake.initCause(
        new CertificateException("PKIX path building failed: no valid certification path"));
    Throwable failure = SdkClientException.create("Unable to execute HTTP request", handshake);

    assertThat(LocalSetup.in(failure))
        .startsWith("this machine does not trust the certificate the stack's address showed, so no"
            + " request was sent: 'PKIX path building failed")
        .contains("trust store");
  }

  @Test
  void anEndpointTheSdkCannotSendToIsThisMachinesSetup() {
    AwsCredentialsProvider keys =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
    Throwable failure = catchThrowable(() -> read(keys, URI.create("ftp://127.0.0.1:9")));

    assertThat(LocalSetup.in(failure))
        .startsWith("the SDK could not make the page's request from this machine's settings, so the"
            + " stack was not asked: 'Protocol must be 'http' or 'https'")
        .contains("AWS_ENDPOINT_URL");
  }

  @Test
  void theNetworksFailuresAndTheCutsAreNotTheSetup() {
    assertThat(LocalSetup.in(SdkClientException.create(
            "Unable to execute HTTP request: Connection refused",
            new ConnectException("Connection refused"))))
        .isNull();
    assertThat(LocalSetup.in(SdkClientException.create(
            "Unable to execute HTTP request: Read timed out",
            new SocketTimeoutException("Read timed out"))))
        .isNull();
    assertThat(LocalSetup.in(SdkClientException.create(
            "Received an UnknownHostException", new UnknownHostException("dynamodb.example"))))
        .isNull();
    assertThat(LocalSetup.in(ApiCallTimeoutException.create(5_000))).isNull();
    assertThat(LocalSetup.in(
            new IllegalStateException("no status", new IllegalArgumentException("page's own"))))
        .as("an argument refused outside the SDK is not a setting")
        .isNull();
  }

  @Test
  void anEndpointWithoutItsSchemeIsThisMachinesSetup() {
    // AWS_ENDPOINT_URL=localhost:4566 alike: the SDK builds the client, then fails each request
    // resolving its endpoint, with a URISyntaxException in a bare RuntimeException.
    AwsCredentialsProvider keys =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
    Throwable failure = catchThrowable(() -> read(keys, URI.create("localhost:4566")));

    assertThat(failure)
        .isNotInstanceOf(SdkClientException.class)
        .hasRootCauseInstanceOf(URISyntaxException.class);
    assertThat(LocalSetup.in(failure))
        .startsWith("the SDK could not make the page's request from this machine's settings, so the"
            + " stack was not asked: 'Expected scheme-specific part")
        .contains("AWS_ENDPOINT_URL");
  }

  @Test
  void aNumberTheStackAnsweredThatTheSdkCannotReadIsNoSetup() throws IOException {
    // The stack was asked and answered 200; the SDK fails on its number with a
    // NumberFormatException, an IllegalArgumentException as the endpoint's scheme is, but no
    // setting of this machine's.
    Throwable failure = describedBy("{\"Table\":{\"ItemCount\":\"many\"}}");

    assertThat(failure)
        .isInstanceOf(SdkClientException.class)
        .hasRootCauseInstanceOf(NumberFormatException.class);
    assertThat(LocalSetup.in(failure)).isNull();
  }

  @Test
  void aBase64ValueTheStackAnsweredThatTheSdkCannotReadIsNoSetup() throws IOException {
    // A binary attribute that is no base64: the decoder's IllegalArgumentException itself, thrown
    // reading the answer.
    Throwable item = answeredBy("{\"Item\":{\"k\":{\"B\":\"not base64!\"}}}");

    assertThat(item)
        .isInstanceOf(SdkClientException.class)
        .hasRootCauseExactlyInstanceOf(IllegalArgumentException.class)
        .hasRootCauseMessage("Illegal base64 character 20");
    assertThat(LocalSetup.in(item))
        .as("the stack's answer could not be read: said as the stack's, as before LocalSetup")
        .isNull();
  }

  /** What DescribeTable fails with when the stack answers it 200 with {@code json}, or null. */
  private static Throwable describedBy(String json) throws IOException {
    return answering(json, dynamo -> dynamo.describeTable(r -> r.tableName("t")));
  }

  /** What GetItem fails with when the stack answers it 200 with {@code json}. */
  private static Throwable answeredBy(String json) throws IOException {
    return answering(json, dynamo -> dynamo.getItem(r -> r.tableName("t").key(Map.of())));
  }

  private static Throwable answering(String json, java.util.function.Consumer<DynamoDbClient> call)
      throws IOException {
    HttpServer stack =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stack.createContext("/", exchange -> {
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    stack.start();
    try (DynamoDbClient dynamo = DynamoDbClient.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
        .endpointOverride(URI.create("http://127.0.0.1:" + stack.getAddress().getPort()))
        .httpClient(UrlConnectionHttpClient.create())
        .build()) {
      return catchThrowable(() -> call.accept(dynamo));
    } finally {
      stack.stop(0);
    }
  }

  private static void read(AwsCredentialsProvider credentials, URI endpoint) {
    try (DynamoDbClient dynamo = DynamoDbClient.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials)
        .endpointOverride(endpoint)
        .httpClient(UrlConnectionHttpClient.create())
        .build()) {
      dynamo.listTables();
    }
  }
}
