package offhours.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import offhours.classify.S3Notifications.ObjectEvent;
import offhours.classify.S3Notifications.Records;
import org.junit.jupiter.api.Test;

class ObjectNotificationTest {

  private static final Instant TIME = Instant.parse("2026-11-25T10:00:00.123Z");

  @Test
  void whatReprocessWritesTheClassifyFunctionReadsAsTheSameVersion() {
    ObjectNotification sent = new ObjectNotification(
        "offhours-images",
        "holiday photos/café + 100%\n.jpg",
        112525L,
        "511130d2072cc744a1fa5015bc23557a",
        "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY",
        "0067A1B2C3D4E5F601",
        TIME,
        "offhours-reprocess");

    Records parsed = (Records) S3Notifications.parse(sent.body());

    assertThat(parsed.entries())
        .containsExactly(new ObjectEvent(
            0,
            "ObjectCreated:Put",
            TIME,
            "offhours-images",
            "holiday photos/café + 100%\n.jpg",
            112525L,
            "511130d2072cc744a1fa5015bc23557a",
            "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY",
            "0067A1B2C3D4E5F601"));
    assertThat(sent.body())
        .contains(
            "\"key\":\"holiday+photos/caf%C3%A9+%2B+100%25%0A.jpg\"",
            "\"configurationId\":\"offhours-reprocess\"", "\"eventSource\":\"aws:s3\"");
  }

  @Test
  void anUnversionedObjectWithoutSizeOrSequencerOmitsThoseFieldsAsS3Does() {
    String body = new ObjectNotification(
            "b", "a.png", null, "e1", null, null, TIME, "offhours-backfill")
        .body();
    assertThat(body).doesNotContain("versionId", "sequencer", "size");
    assertThat(ObjectNotification.read(body)).singleElement().satisfies(n -> {
      assertThat(n.uri()).isEqualTo("s3://b/a.png");
      assertThat(n.eTag()).isEqualTo("e1");
      assertThat(n.versionId()).isNull();
    });
  }

  @Test
  void readFindsNoObjectInABodyThatIsNoNotification() {
    assertThat(ObjectNotification.read("not json")).isEmpty();
    assertThat(ObjectNotification.read("{\"Event\":\"s3:TestEvent\"}")).isEmpty();
    assertThat(ObjectNotification.read(
            "{\"Records\":[{\"eventName\":\"ObjectRemoved:Delete\",\"s3\":{\"bucket\":"
                + "{\"name\":\"b\"},\"object\":{\"key\":\"a.png\",\"eTag\":\"e\"}}}]}"))
        .isEmpty();
  }

  @Test
  void noObjectsNamesWhatAnS3ShapedBodyLacksAsTheVerdictDoes() {
    // S3's shape with everything but the object's identity: moto sends an eTag and no sequencer, so
    // a body that lost its eTag is the one 'dlq list' showed as "(not an S3 notification)".
    String withoutETag = "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\","
        + "\"eventTime\":\"2026-11-25T10:00:00.000Z\",\"s3\":{\"bucket\":{\"name\":\"b\"},"
        + "\"object\":{\"key\":\"a.png\",\"size\":3}}}]}";

    assertThat(ObjectNotification.noObjects(withoutETag))
        .isEqualTo("S3 notification without versionId, eTag or sequencer");
    assertThat(ObjectNotification.noObjects(
            "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":"
                + "{\"name\":\"b\"},\"object\":{\"size\":3}}}]}"))
        .isEqualTo("S3 notification without s3.object.key");
    assertThat(ObjectNotification.noObjects("not json")).isEqualTo("not an S3 notification");
    assertThat(ObjectNotification.noObjects("{\"Event\":\"s3:TestEvent\"}"))
        .isEqualTo("S3's test event");
    assertThat(ObjectNotification.noObjects(
            "{\"Records\":[{\"eventName\":\"ObjectRemoved:Delete\",\"s3\":{\"bucket\":"
                + "{\"name\":\"b\"},\"object\":{\"key\":\"a.png\",\"eTag\":\"e\"}}}]}"))
        .isEqualTo("S3 notification of no ObjectCreated event");
  }

  @Test
  void aVersionWithoutAnyIdentityIsRefused() {
    assertThatThrownBy(() -> new ObjectNotification("b", "a.png", 1L, null, "", null, TIME, "x"))
        .hasMessage(
            "s3://b/a.png needs a versionId, an eTag or a sequencer: without one the Classify function cannot"
                + " tell its version from any other");
  }
}
