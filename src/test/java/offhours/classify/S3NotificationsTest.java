package offhours.classify;

import static offhours.classify.Fakes.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import offhours.classify.S3Notifications.BadRecord;
import offhours.classify.S3Notifications.Malformed;
import offhours.classify.S3Notifications.ObjectEvent;
import offhours.classify.S3Notifications.Records;
import offhours.classify.S3Notifications.TestEvent;
import org.junit.jupiter.api.Test;

class S3NotificationsTest {

  private static Records records(String fixture, int message) {
    return (Records)
        S3Notifications.parse(fixture(fixture).getRecords().get(message).getBody());
  }

  @Test
  void readsAPutNotificationFromTheSqsBody() {
    ObjectEvent event = (ObjectEvent) records("sqs-s3-put.json", 0).entries().getFirst();

    assertThat(event)
        .isEqualTo(new ObjectEvent(
            0,
            "ObjectCreated:Put",
            Instant.parse("2026-11-25T10:00:00Z"),
            "offhours-images",
            "uploads/rocket.jpg",
            112525L,
            "511130d2072cc744a1fa5015bc23557a",
            null,
            "0067A1B2C3D4E5F601"));
    assertThat(event.created()).isTrue();
    assertThat(event.uri()).isEqualTo("s3://offhours-images/uploads/rocket.jpg");
  }

  @Test
  void decodesKeysAsS3EncodesThem() {
    assertThat(((ObjectEvent) records("sqs-s3-odd-keys.json", 0).entries().getFirst()).key())
        .isEqualTo("holiday photos/beach day 1.jpg");
    assertThat(((ObjectEvent) records("sqs-s3-odd-keys.json", 1).entries().getFirst()).key())
        .isEqualTo("café au lait + 100%.png");
    assertThat(((ObjectEvent) records("sqs-s3-odd-keys.json", 2).entries().getFirst()).key())
        .isEqualTo("写真/🚀 rocket.jpg");
  }

  @Test
  void aMultipartCompletionIsAnObjectCreatedEvent() {
    ObjectEvent event =
        (ObjectEvent) records("sqs-s3-multipart.json", 0).entries().getFirst();

    assertThat(event.eventName()).isEqualTo("ObjectCreated:CompleteMultipartUpload");
    assertThat(event.created()).isTrue();
    assertThat(event.eTag()).endsWith("-2");
  }

  @Test
  void recognisesTheTestEvent() {
    assertThat(S3Notifications.parse(
            fixture("sqs-s3-test-event.json").getRecords().getFirst().getBody()))
        .isInstanceOf(TestEvent.class);
  }

  @Test
  void aBodyThatIsNotJsonIsMalformed() {
    assertThat(S3Notifications.parse("this is not an S3 event notification"))
        .isInstanceOfSatisfying(
            Malformed.class, m -> assertThat(m.reason()).startsWith("message body is not JSON: "));
  }

  @Test
  void jsonWithoutRecordsIsMalformed() {
    assertThat(S3Notifications.parse("{\"hello\":\"world\"}"))
        .isEqualTo(new Malformed(
            "message body is JSON but not an S3 event notification (it has no Records array)"));
    assertThat(S3Notifications.parse("[1,2]"))
        .isEqualTo(
            new Malformed("message body is not a JSON object, so not an S3 event notification"));
  }

  @Test
  void aRecordWithoutAKeyIsABadRecordAndTheOthersAreKept() {
    Records records = (Records) S3Notifications.parse("""
        {"Records":[
          {"eventName":"ObjectCreated:Put","eventTime":"2026-11-25T10:00:00.000Z",
           "s3":{"bucket":{"name":"b"},"object":{"key":"a.jpg","size":3,"eTag":"e1"}}},
          {"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"size":3}}}]}
        """);

    assertThat(records.entries()).hasSize(2);
    assertThat(records.entries().get(0)).isInstanceOf(ObjectEvent.class);
    assertThat(records.entries().get(1))
        .isEqualTo(new BadRecord(1, "record 1 has no s3.object.key", "without s3.object.key"));
  }

  @Test
  void eventTimeWithAZoneIsTheRealFormatAndWithoutOneIsUtc() {
    assertThat(S3Notifications.eventTime("2026-11-25T10:00:00.000Z"))
        .isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
    assertThat(S3Notifications.eventTime("2026-11-25T11:00:00.000+01:00"))
        .isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
    assertThat(S3Notifications.eventTime("2026-11-25T10:00:00.000"))
        .isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
    assertThatThrownBy(() -> S3Notifications.eventTime("yesterday at noon"))
        .isInstanceOf(DateTimeParseException.class);
  }

  @Test
  void aGarbageEventTimeIsABadRecordNamingTheObject() {
    Records records = (Records) S3Notifications.parse("""
        {"Records":[{"eventName":"ObjectCreated:Put","eventTime":"25/11/2026 10:00",
          "s3":{"bucket":{"name":"b"},"object":{"key":"a+b.jpg","eTag":"e"}}}]}
        """);

    assertThat(records.entries())
        .containsExactly(new BadRecord(
            0,
            "record 0 for s3://b/a b.jpg has an eventTime that is not ISO-8601: '25/11/2026 10:00'",
            "with an eventTime that is not ISO-8601"));
  }

  @Test
  void aKeyWithABrokenPercentEscapeIsABadRecord() {
    Records records = (Records)
        S3Notifications.parse(
            "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"100%.jpg\"}}}]}");

    assertThat(records.entries())
        .containsExactly(new BadRecord(
            0,
            "record 0 has a key that is not URL-encoded: '100%.jpg'",
            "with a key that is not URL-encoded"));
  }

  @Test
  void readsEveryFieldOfAVersionedRecordAndSizesBeyondTheIntRange() {
    Records records = (Records) S3Notifications.parse("""
        {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","eventName":"ObjectCreated:CompleteMultipartUpload",
          "eventTime":"2026-11-25T10:00:00.000Z",
          "s3":{"bucket":{"name":"b","arn":"arn:aws:s3:::b"},
                "object":{"key":"big%2Fvideo+1.png","size":5497558138880,"eTag":"d41d8cd98f00b204e9800998ecf8427e-512",
                          "versionId":"3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY","sequencer":"0055AED6DCD90281E5"}}}]}
        """);

    assertThat(records.entries())
        .containsExactly(new ObjectEvent(
            0,
            "ObjectCreated:CompleteMultipartUpload",
            Instant.parse("2026-11-25T10:00:00Z"),
            "b",
            "big/video 1.png",
            5_497_558_138_880L,
            "d41d8cd98f00b204e9800998ecf8427e-512",
            "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY",
            "0055AED6DCD90281E5"));
  }

  @Test
  void aSizeThatIsNotAnIntegerInTheLongRangeIsUnknown() {
    for (String size : List.of("3.5", "1e3", "\"12\"", "null", "99999999999999999999")) {
      Records records = (Records) S3Notifications.parse(
          "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":"
              + "{\"key\":\"a.jpg\",\"eTag\":\"e1\",\"size\":" + size + "}}}]}");
      assertThat(((ObjectEvent) records.entries().getFirst()).size()).as(size).isNull();
    }
  }

  @Test
  void truncatedJsonIsMalformedWithTheParsersReason() {
    assertThat(S3Notifications.parse("{\"Records\":[{\"s3\":"))
        .isEqualTo(new Malformed(
            "message body is not JSON: Unexpected end-of-input within/between Object entries"));
    assertThat(S3Notifications.parse("{\"Records\":["))
        .isInstanceOfSatisfying(
            Malformed.class,
            m -> assertThat(m.reason())
                .startsWith(
                    "message body is not JSON: Unexpected end-of-input: expected close marker for Array"));
  }

  @Test
  void onlyStandardJsonIsAccepted() {
    assertThat(S3Notifications.parse("/* S3 */ {\"Records\":[]}"))
        .isInstanceOfSatisfying(
            Malformed.class,
            m -> assertThat(m.reason())
                .startsWith("message body is not JSON: Unexpected character ('/' (code 47))"));
    assertThat(S3Notifications.parse("{'Records':[]}"))
        .isInstanceOfSatisfying(
            Malformed.class,
            m -> assertThat(m.reason())
                .startsWith("message body is not JSON: Unexpected character (''' (code 39))"));
    assertThat(S3Notifications.parse("{\"Records\":[1,]}")).isInstanceOf(Malformed.class);
  }

  @Test
  void emptyBodiesAndJsonScalarsAreNotObjects() {
    Malformed notAnObject =
        new Malformed("message body is not a JSON object, so not an S3 event notification");
    assertThat(S3Notifications.parse(null)).isEqualTo(notAnObject);
    assertThat(S3Notifications.parse("  ")).isEqualTo(notAnObject);
    assertThat(S3Notifications.parse("\"Records\"")).isEqualTo(notAnObject);
    assertThat(S3Notifications.parse("null")).isEqualTo(notAnObject);
    assertThat(S3Notifications.parse("{\"Records\":{}}"))
        .isEqualTo(new Malformed(
            "message body is JSON but not an S3 event notification (it has no Records array)"));
    assertThat(S3Notifications.parse("{\"Records\":[]}"))
        .isEqualTo(new Malformed("S3 event notification has an empty Records array"));
  }

  @Test
  void recordsThatAreNotObjectsOrHaveNoBucketNameAreBadRecords() {
    Records records = (Records)
        S3Notifications.parse(
            "{\"Records\":[1, {\"s3\":\"x\"}, {\"s3\":{\"bucket\":{\"name\":{}},\"object\":{\"key\":\"a.jpg\"}}}]}");

    assertThat(records.entries())
        .containsExactly(
            new BadRecord(0, "record 0 has no s3.bucket.name", "without s3.bucket.name"),
            new BadRecord(1, "record 1 has no s3.bucket.name", "without s3.bucket.name"),
            new BadRecord(2, "record 2 has no s3.bucket.name", "without s3.bucket.name"));
  }

  @Test
  void aTestEventThatCarriesRecordsIsReadAsRecords() {
    assertThat(S3Notifications.parse("{\"Event\":\"s3:TestEvent\",\"Records\":[{}]}"))
        .isEqualTo(new Records(
            List.of(new BadRecord(0, "record 0 has no s3.bucket.name", "without s3.bucket.name"))));
  }

  /** The reason a bad record gets (a REJECTED result's) quotes what the body said as offhours quotes any value. */
  private static String badRecordReason(String record) {
    Records records = (Records) S3Notifications.parse("{\"Records\":[" + record + "]}");
    String reason = ((BadRecord) records.entries().getFirst()).reason();
    assertThat(reason).hasSizeLessThan(300).doesNotContain("\n", "\u001b", "\u0000");
    return reason;
  }

  @Test
  void aBadRecordQuotesWhatTheBodySaidEscapedAndCut() {
    String controls = "\\n\\u001b[2J\\u0000";
    String controlsShown = "\\x0a\\x1b[2J\\x00";
    assertThat(badRecordReason("{\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"%zz"
            + "k".repeat(4997) + "\"}}}"))
        .isEqualTo("record 0 has a key that is not URL-encoded: '%zz" + "k".repeat(57)
            + "... (5000 characters)'");
    assertThat(badRecordReason(
            "{\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"%" + controls + "\"}}}"))
        .isEqualTo("record 0 has a key that is not URL-encoded: '%" + controlsShown + "'");
    assertThat(
            badRecordReason(
                "{\"eventName\":\"ObjectCreated:Put\",\"eventTime\":\"" + "t".repeat(5000)
                    + "\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"a.jpg\",\"eTag\":\"e\"}}}"))
        .isEqualTo("record 0 for s3://b/a.jpg has an eventTime that is not ISO-8601: '"
            + "t".repeat(60) + "... (5000 characters)'");
    assertThat(
            badRecordReason(
                "{\"eventName\":\"ObjectCreated:Put\",\"eventTime\":\"2026" + controls
                    + "\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"a.jpg\",\"eTag\":\"e\"}}}"))
        .isEqualTo("record 0 for s3://b/a.jpg has an eventTime that is not ISO-8601: '2026"
            + controlsShown + "'");
    assertThat(badRecordReason("{\"s3\":{\"bucket\":{\"name\":\"" + "b".repeat(5000)
            + "\"},\"object\":{\"key\":\"a.jpg\",\"eTag\":\"e1\"}}}"))
        .isEqualTo(
            "record 0 for s3://" + "b".repeat(55) + "... (5011 characters) has no eventName");
    assertThat(badRecordReason(
            "{\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"a%0A%1B%00.jpg\"}}}"))
        .isEqualTo("record 0 for s3://b/a\\x0a\\x1b\\x00.jpg has no eventName");
    assertThat(badRecordReason(
            "{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"b\"},"
                + "\"object\":{\"key\":\"" + "k".repeat(5000) + "\"}}}"))
        .startsWith("record 0 for s3://b/" + "k".repeat(53)
            + "... (5007 characters) has no versionId, eTag");
  }

  @Test
  void aBodyThatIsNotJsonIsRefusedWithTheParsersWordsEscaped() {
    Malformed malformed = (Malformed) S3Notifications.parse("nope\u001b\u0000" + "q".repeat(5000));
    assertThat(malformed.reason())
        .startsWith("message body is not JSON: Unrecognized token 'nope\\x1b\\x00qqq")
        .doesNotContain("\u001b", "\u0000")
        .hasSizeLessThan(400);
  }

  @Test
  void aRecordWithoutAnEventNameIsABadRecordWithTheReason() {
    Records records = (Records) S3Notifications.parse("""
        {"Records":[{"s3":{"bucket":{"name":"b"},"object":{"key":"a.jpg","eTag":"e1"}}}]}""");

    assertThat(records.entries())
        .containsExactly(
            new BadRecord(0, "record 0 for s3://b/a.jpg has no eventName", "without eventName"));
  }

  @Test
  void aRecordWithoutAnyVersionIdentityIsABadRecordWithTheReason() {
    Records records = (Records) S3Notifications.parse("""
        {"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"a.jpg","eTag":""}}}]}""");

    assertThat(records.entries())
        .containsExactly(new BadRecord(
            0,
            "record 0 for s3://b/a.jpg has no versionId, eTag"
                + " or sequencer, so the object version it is about cannot be told apart from any other",
            "without versionId, eTag or sequencer"));
  }

  @Test
  void aSequencerAloneIdentifiesTheVersion() {
    Records records = (Records) S3Notifications.parse("""
        {"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"a.jpg","sequencer":"00AB"}}}]}""");

    assertThat(((ObjectEvent) records.entries().getFirst()).sequencer()).isEqualTo("00AB");
  }

  @Test
  void moreRecordsThanAnyS3NotificationHoldsIsMalformed() {
    String record =
        "{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"a.jpg\",\"eTag\":\"e\"}}}";
    String body =
        "{\"Records\":[" + String.join(",", java.util.Collections.nCopies(101, record)) + "]}";

    assertThat(S3Notifications.parse(body))
        .isEqualTo(
            new Malformed(
                "the message holds 101 records; S3 sends one per notification and offhours reads at most 100"));
    assertThat(S3Notifications.parse(body.replace("[" + record + ",", "[")))
        .isInstanceOf(Records.class);
  }
}
