package offhours.classify;

import static offhours.classify.ClassifyHandlerTest.event;
import static offhours.classify.ClassifyHandlerTest.message;
import static offhours.classify.ClassifyHandlerTest.notification;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import offhours.testing.LambdaSqsJson;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** The SnapStart priming hook's deferral: the request a deferral sends, in a shape SQS refuses. */
class PrimingTest extends ClassifyRig {

  @Test
  void snapStartPrimingSendsTheDeferralsCopyToTheFunctionsQueueWithADelaySqsRefuses() {
    handler().beforeCheckpoint(null);

    assertThat(sqs.sent).as("SQS took no copy: nothing is on the queue").isEmpty();
    assertThat(sqs.refusedSends)
        .as("the SendMessage a deferral sends, refused")
        .singleElement()
        .satisfies(send -> {
          assertThat(send.queueUrl()).isEqualTo(ClassifyHandlerTest.config().queueUrl());
          assertThat(send.delaySeconds())
              .isEqualTo(Priming.REFUSED_DELAY_SECONDS)
              .as("SQS allows 0 to 900 s")
              .isGreaterThan(900);
          assertThat(S3Notifications.parse(send.messageBody()))
              .as("were SQS ever to take it, a batch would acknowledge and ignore it")
              .isInstanceOf(S3Notifications.TestEvent.class);
          assertThat(send.messageAttributes().get("offhours-deferrals").stringValue())
              .isEqualTo("1");
          assertThat(send.overrideConfiguration().flatMap(c -> c.apiCallTimeout()))
              .as("a stalled SQS does not hold the version's publication")
              .isPresent();
        });
  }

  @Test
  void thePrimingCopyIsBuiltAsADeferralsCopyIs() {
    handler().beforeCheckpoint(null);
    runtime.answer = r -> {
      throw Fakes.endpointNotFound();
    };
    LambdaSqsJson.invoke(handler(), event(message("m1", notification("a.jpg", 112525L, "e1", ""))));

    SendMessageRequest primed = sqs.refusedSends.getFirst();
    assertThat(sqs.sent)
        .as("the endpoint off: the upload's copy")
        .singleElement()
        .satisfies(copy -> {
          assertThat(primed.queueUrl()).isEqualTo(copy.queueUrl());
          assertThat(primed.messageAttributes().keySet())
              .as("the same attributes marshalled")
              .isEqualTo(copy.messageAttributes().keySet());
          assertThat(copy.delaySeconds()).isEqualTo(ClassifyHandlerTest.config().deferSeconds());
        });
  }

  @Test
  void aRefusedOrFailedPrimingSendNeverEscapesAndIsNotLoggedAsADeferral() throws IOException {
    int refused = handler().prime(); // InvalidParameterValue, as SQS and moto_server answer
    sqs.failWith = (SqsException) SqsException.builder()
        .statusCode(403)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("AccessDenied")
            .errorMessage("not authorized to perform: sqs:SendMessage")
            .build())
        .build();
    int denied = handler().prime();
    sqs.failWith = SdkClientException.create("Unable to execute HTTP request: refused");
    int unanswered = handler().prime();
    sqs.failWith = new IllegalStateException("a bug");
    int broken = handler().prime();

    assertThat(sqs.refusedSends).as("the first hook's send").hasSize(1);
    assertThat(denied).as("SQS answered: warm").isEqualTo(refused);
    assertThat(unanswered).as("nothing answered: not warm").isEqualTo(refused - 1);
    assertThat(broken).isEqualTo(refused - 1);
    assertThat(sqs.sent).isEmpty();
    assertThat(logLines())
        .as("only the TestEvent batch's line: no message was deferred, nothing failed")
        .allSatisfy(l -> assertThat(l.path("outcome").asText()).isEqualTo("IGNORED"))
        .extracting(l -> l.get("level").asText())
        .containsOnly("INFO");
  }

  @Test
  void everyPrimingCallSqsOrS3AnswersAsBuiltCountsAsWarm() throws IOException {
    // The TestEvent batch, S3's 404, DynamoDB's failed condition, the model's answer, the pause's
    // refused entry, the deferral's refused send.
    sqs.refuse.add(Priming.NO_MESSAGE.receiptHandle());

    assertThat(handler().prime()).isEqualTo(6);
    assertThat(logLines()).extracting(JsonNode::toString).hasSize(1);
  }
}
