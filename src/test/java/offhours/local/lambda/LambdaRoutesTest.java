package offhours.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import offhours.aws.PayloadLimits;
import offhours.testing.SigV4;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * The local Lambda's routes on a server of their own, with nothing behind them but a record of what reached them:
 * the guard stands before each route, and Invoke's 6 MB limit is refused in Lambda's words before the body is read.
 */
class LambdaRoutesTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AwsBasicCredentials KEYS =
      AwsBasicCredentials.create("AKIDROUTES", "s3cret");

  /** The function names Invoke asked for; every one is unknown. */
  private final List<String> asked = new CopyOnWriteArrayList<>();

  private final HttpServer server;

  LambdaRoutesTest() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    LambdaRoutes.serve(server, KEYS, "us-east-1", new NoMappings(), name -> {
      asked.add(name);
      return null;
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void anInvokeOverSixMegabytesIsRefusedInLambdasWordsAndReachesNoFunction() throws Exception {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(uri("/2015-03-31/functions/f/invocations"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(
                new byte[PayloadLimits.LAMBDA_INVOKE_PAYLOAD_BYTES + 1]))
            .build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("RequestEntityTooLargeException");
    assertThat(JSON.readTree(response.body()).path("Message").asText())
        .isEqualTo("Request must be smaller than 6291456 bytes for the InvokeFunction operation");
    assertThat(asked).isEmpty();
  }

  @Test
  void aSignedInvokeReachesTheFunctionsAndAnUnsignedOneIsRefusedBeforeThem() throws Exception {
    URI invoke = uri("/2015-03-31/functions/f/invocations");
    HttpResponse<String> unsigned = HTTP.send(
        HttpRequest.newBuilder(invoke)
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(asked).isEmpty();

    HttpResponse<String> signed = HTTP.send(
        SigV4.post(invoke, Map.of(), "{}", KEYS, "us-east-1", "lambda"),
        HttpResponse.BodyHandlers.ofString());
    assertThat(signed.statusCode()).isEqualTo(404);
    assertThat(signed.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("ResourceNotFoundException");
    assertThat(asked).containsExactly("f");
  }

  @Test
  void theMappingApiAndAnyOtherPathStandBehindTheGuardToo() throws Exception {
    for (String path : new String[] {MappingApi.PATH, "/nothing"}) {
      assertThat(HTTP.send(
                  HttpRequest.newBuilder(uri(path)).GET().build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode())
          .as(path)
          .isEqualTo(403);
    }
    HttpResponse<String> other = HTTP.send(
        SigV4.post(uri("/nothing"), Map.of(), "{}", KEYS, "us-east-1", "lambda"),
        HttpResponse.BodyHandlers.ofString());
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(other.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("UnknownOperationException");
  }

  /** A backend no request here reaches: each test's requests are refused, or go elsewhere. */
  private static final class NoMappings implements MappingApi.Backend {
    @Override
    public EventSourceMapping create(
        LocalFunction function,
        String eventSourceArn,
        EventSourceMapping.MappingSettings config,
        boolean enabled) {
      throw new AssertionError("no mapping is created here");
    }

    @Override
    public LocalFunction function(String nameOrArn) {
      throw new AssertionError("no function is looked up here");
    }

    @Override
    public EventSourceMapping mapping(String uuid) {
      throw new AssertionError("no mapping is read here");
    }

    @Override
    public List<EventSourceMapping> mappings() {
      throw new AssertionError("no mapping is listed here");
    }
  }
}
