package offhours.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one place that tells S3's test message from an upload's notification. */
class S3TestEventTest {

  @Test
  void theMessageS3SendsWhenTheNotificationIsPutIsTheTestEvent() {
    assertThat(
            S3TestEvent.is(
                "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\","
                    + "\"Time\":\"2026-11-25T09:59:58.123Z\",\"Bucket\":\"b\",\"RequestId\":\"r\",\"HostId\":\"h\"}"))
        .isTrue();
  }

  @Test
  void anythingElseIsNot() {
    assertThat(S3TestEvent.is("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\"}]}"))
        .isFalse();
    assertThat(S3TestEvent.is("{\"Event\":\"s3:TestEvent\",\"Records\":[]}"))
        .as("a body with Records is a notification, whatever else it says")
        .isFalse();
    assertThat(S3TestEvent.is("{\"Event\":\"s3:ObjectCreated:Put\"}")).isFalse();
    assertThat(S3TestEvent.is("[\"s3:TestEvent\"]")).isFalse();
    assertThat(S3TestEvent.is("s3:TestEvent")).isFalse();
    assertThat(S3TestEvent.is("")).isFalse();
    assertThat(S3TestEvent.is((String) null)).isFalse();
  }
}
