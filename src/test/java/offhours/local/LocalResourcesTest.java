package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import offhours.aws.SqsErrors;
import offhours.stack.StackSpec;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

class LocalResourcesTest {

  @Test
  void oneNotificationPerSuffixWithALowerCaseRuleName() {
    var configs = LocalResources.notifications("arn:aws:sqs:us-east-1:123456789012:offhours-queue");

    assertThat(configs).hasSize(StackSpec.NOTIFICATION.suffixes().size());
    assertThat(configs)
        .map(c -> c.filter().key().filterRules().get(0).nameAsString())
        .containsOnly("suffix");
    assertThat(configs)
        .map(c -> c.filter().key().filterRules().get(0).value())
        .containsExactlyElementsOf(StackSpec.NOTIFICATION.suffixes());
    assertThat(configs).map(c -> c.id()).doesNotHaveDuplicates();
  }

  @Test
  void recognisesAMissingQueueInBothProtocolsButNothingElse() {
    assertThat(SqsErrors.missingQueue(QueueDoesNotExistException.builder().build()))
        .isTrue();
    assertThat(SqsErrors.missingQueue(error("AWS.SimpleQueueService.NonExistentQueue")))
        .isTrue();
    assertThat(SqsErrors.missingQueue(error("AccessDenied"))).isFalse();
    assertThat(SqsErrors.missingQueue((SqsException) SqsException.builder().build()))
        .isFalse();
  }

  private static SqsException error(String code) {
    return (SqsException) SqsException.builder()
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build())
        .build();
  }
}
