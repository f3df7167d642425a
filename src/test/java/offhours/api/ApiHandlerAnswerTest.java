package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import offhours.aws.PayloadLimits;
import org.junit.jupiter.api.Test;

/** The handler's answer stays within what Lambda lets a function answer, or says why it could not. */
class ApiHandlerAnswerTest {

  private static ApiResponse withBody(int chars) {
    return new ApiResponse(200, Map.of("content-type", "text/plain"), "a".repeat(chars));
  }

  @Test
  void anAnswerUpToLambdasResponseLimitIsWrittenAsItIs() {
    int around = HttpEvents.write(withBody(0)).length;
    ApiResponse largest = withBody(PayloadLimits.LAMBDA_RESPONSE_PAYLOAD_BYTES - around);

    byte[] event = ApiHandler.answer(largest);

    assertThat(event).hasSize(PayloadLimits.LAMBDA_RESPONSE_PAYLOAD_BYTES);
    assertThat(HttpEvents.response(event).status()).isEqualTo(200);
  }

  /** On AWS, Lambda fails the invocation (Function.ResponseSizeTooLarge) and API Gateway answers a bare 500. */
  @Test
  void aLargerAnswerIsA500SayingWhyInsteadOfALambdaFailure() {
    int around = HttpEvents.write(withBody(0)).length;
    ApiResponse tooLarge = withBody(PayloadLimits.LAMBDA_RESPONSE_PAYLOAD_BYTES - around + 1);

    HttpEvents.Reply reply = HttpEvents.response(ApiHandler.answer(tooLarge));

    assertThat(reply.status()).isEqualTo(500);
    assertThat(JsonText.string(JsonText.parse(reply.body()), "message"))
        .isEqualTo("the answer is 6291557 bytes as a Lambda response, over the 6291556 Lambda lets"
            + " a function answer; a page of GET /results is smaller with a smaller limit=N");
  }
}
