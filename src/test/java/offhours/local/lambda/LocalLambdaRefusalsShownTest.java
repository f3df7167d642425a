package offhours.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import offhours.testing.SigV4;
import offhours.testing.UnusedSqs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What a request to the local Lambda said (a queue ARN, a function name, a body that is not JSON; MappingApiTest has a response type), as its refusal
 * quotes it: escaped and cut as offhours quotes any value from outside (offhours.units.Shown). Only a caller with the
 * local stack's credentials gets that far, but the refusal reaches a terminal through the SDK's exception message.
 */
class LocalLambdaRefusalsShownTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** 5,000 characters that open with ESC and U+202E (right-to-left override); JSON-escaped for a request body. */
  private static final String VALUE_JSON = "x\\u001b[2J\\u202e" + "v".repeat(4994);

  /** How a refusal shows that value: escaped, its first 60 characters and its length. */
  private static final String SHOWN = "x\\x1b[2J\\u202e" + "v".repeat(54) + "... (5000 characters)";

  private static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:offhours-queue";

  // Never called: no mapping is created here.
  private final SqsClient sqs = UnusedSqs.client();
  private final LocalLambda local = LocalLambda.builder(sqs).start();

  LocalLambdaRefusalsShownTest() {
    local.registerJsonFunction(
        "offhours-controller", (event, context) -> Map.of(), Duration.ofSeconds(30));
  }

  @AfterEach
  void close() {
    local.close();
    sqs.close();
  }

  @Test
  void anEventSourceThatIsNoQueueArnIsQuotedEscapedAndCut() throws Exception {
    assertThat(refusal(
            mappings(),
            "{\"FunctionName\": \"offhours-controller\", \"EventSourceArn\": \"" + VALUE_JSON
                + "\"}"))
        .isEqualTo("offhours' local Lambda supports only SQS queue event sources"
            + " (arn:aws:sqs:REGION:ACCOUNT:QUEUE); got " + SHOWN);
  }

  @Test
  void anUnknownFunctionIsQuotedEscapedAndCut() throws Exception {
    assertThat(refusal(
            mappings(),
            "{\"FunctionName\": \"" + VALUE_JSON + "\", \"EventSourceArn\": \"" + QUEUE + "\"}"))
        .isEqualTo("Function not found: arn:aws:lambda:us-east-1:123456789012:function:" + SHOWN);
  }

  @Test
  void theParsersWordsOnABodyThatIsNotJsonAreEscaped() throws Exception {
    String body = "nope\u001b\u202e" + "q".repeat(5000);
    for (URI uri : new URI[] {mappings(), invocations()}) {
      assertThat(refusal(uri, body))
          .startsWith("Could not parse request body into json: Unrecognized token"
              + " 'nope\\x1b\\u202eqqq")
          .doesNotContain("\u001b", "\u202e")
          .hasSizeLessThan(700);
    }
  }

  private URI mappings() {
    return local.endpoint().resolve(MappingApi.PATH);
  }

  private URI invocations() {
    return local.endpoint().resolve("/2015-03-31/functions/offhours-controller/invocations");
  }

  /** The message of the local Lambda's answer to a signed POST of {@code body}, which must be a refusal. */
  private String refusal(URI uri, String body) throws Exception {
    HttpResponse<String> response = HTTP.send(
        SigV4.post(
            uri,
            Map.of("Content-Type", "application/json"),
            body,
            local.credentials(),
            "us-east-1",
            "lambda"),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
    String message = JSON.readTree(response.body()).path("Message").asText();
    assertThat(message).doesNotContain("\u001b", "\u202e");
    return message;
  }
}
