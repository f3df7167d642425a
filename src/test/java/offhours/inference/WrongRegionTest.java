package offhours.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A LABELS_S3_URI file in a bucket of another Region than the stack's fails at init naming the setting, the two
 * Regions and the way out, where S3's answer named none of them. The functions' real S3 client reads it from a local
 * server that answers as S3 does when a request reaches another Region's endpoint than the bucket's.
 */
class WrongRegionTest {

  private static final String URI = "s3://labels-eu/models/labels.txt";

  private static final String WAY_OUT =
      ", and the functions read it through S3 of the stack's Region us-east-1"
          + " only: copy the file to a bucket in us-east-1 and set LabelsS3Uri to its s3:// URI";

  /** S3's answer at us-east-1's endpoint to a GetObject of a bucket in eu-west-1: 301, the Region in a header. */
  @Test
  void aPermanentRedirectNamesTheBucketsRegionFromItsHeaderAndIsNotFollowed() {
    Reply redirect = s3Error(
            301,
            "PermanentRedirect",
            "The bucket you are attempting to access must be addressed using the specified endpoint. Please"
                + " send all future requests to this endpoint.",
            "<Endpoint>labels-eu.s3.eu-west-1.amazonaws.com</Endpoint><Bucket>labels-eu</Bucket>")
        .withHeader("x-amz-bucket-region", "eu-west-1");

    try (StubHttpServer s3 = StubHttpServer.start(request -> redirect)) {
      assertThatReading(s3)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "LABELS_S3_URI " + URI + " is in a bucket of the Region eu-west-1 (S3 answered 301"
                  + " PermanentRedirect)" + WAY_OUT)
          .cause()
          .isInstanceOf(S3Exception.class);
      assertThat(s3.requests()).singleElement().satisfies(request -> {
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/labels-eu/models/labels.txt");
      });
    }
  }

  /**
   * The global endpoint's answer to a request signed for the wrong Region names the bucket's in its message; a bucket
   * of an opt-in Region may be named nowhere, and another AuthorizationHeaderMalformed is not about Regions.
   */
  @Test
  void aRequestSignedForAnotherRegionOrRefusedByAnOptInRegionIsTheSameMistake() {
    Reply signed = s3Error(
        400,
        "AuthorizationHeaderMalformed",
        "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'",
        "<Region>eu-west-1</Region>");
    try (StubHttpServer s3 = StubHttpServer.start(request -> signed)) {
      assertThatReading(s3)
          .hasMessage(
              "LABELS_S3_URI " + URI + " is in a bucket of the Region eu-west-1 (S3 answered 400"
                  + " AuthorizationHeaderMalformed)" + WAY_OUT);
    }
    Reply optIn = s3Error(
        400,
        "IllegalLocationConstraintException",
        "The ap-east-1 location constraint is incompatible for the region specific endpoint this request was sent"
            + " to.",
        "");
    try (StubHttpServer s3 = StubHttpServer.start(request -> optIn)) {
      assertThatReading(s3)
          .hasMessage("LABELS_S3_URI " + URI + " is in a bucket of another Region (S3 answered 400"
              + " IllegalLocationConstraintException)" + WAY_OUT);
    }
    Reply credential = s3Error(
        400,
        "AuthorizationHeaderMalformed",
        "The authorization header is malformed; the Credential is mal-formed; expecting"
            + " \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".",
        "");
    try (StubHttpServer s3 = StubHttpServer.start(request -> credential)) {
      assertThatReading(s3)
          .isInstanceOf(S3Exception.class)
          .hasMessageStartingWith("The authorization header");
    }
  }

  /** What S3 says of the bucket's Region is shown only when it is a Region's name; else "another Region". */
  @Test
  void aRegionHeaderThatIsNoRegionsNameIsNotShown() {
    Reply redirect = s3Error(
            301, "PermanentRedirect", "Please send all future requests to this endpoint.", "")
        .withHeader("x-amz-bucket-region", "eu-west-1\u001b[2J");
    try (StubHttpServer s3 = StubHttpServer.start(request -> redirect)) {
      assertThatReading(s3)
          .hasMessage("LABELS_S3_URI " + URI + " is in a bucket of another Region (S3 answered 301"
              + " PermanentRedirect)" + WAY_OUT);
    }
  }

  /** Any other refusal is S3's own, as it was, even with the bucket's Region in a header. */
  @Test
  void aRefusalOfTheStacksOwnRegionIsS3sOwn() {
    Reply denied = s3Error(403, "AccessDenied", "Access Denied", "")
        .withHeader("x-amz-bucket-region", "us-east-1");
    try (StubHttpServer s3 = StubHttpServer.start(request -> denied)) {
      assertThatReading(s3)
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403))
          .hasMessageStartingWith("Access Denied");
    }
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertThatReading(
      StubHttpServer server) {
    ModelContract file = ModelContract.fromEnv(Map.of("LABELS_S3_URI", URI));
    try (AwsClients clients = AwsClients.local(Region.US_EAST_1, Map.of(Service.S3, server.uri()));
        S3Client s3 = clients.build(Service.S3, S3Client.builder().forcePathStyle(true))) {
      return assertThatThrownBy(() -> file.resolveLabels(s3));
    }
  }

  /** An error as S3 writes it: XML with Code, Message, {@code more}, RequestId and HostId. */
  private static Reply s3Error(int status, String code, String message, String more) {
    String xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
            + message.replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
            + "</Message>" + more
            + "<RequestId>4442587FB7D0A2F9</RequestId><HostId>Uuag1LuByRx9e6j5OnimrSAMPLEtRPfTaOAa==</HostId></Error>";
    return new Reply(
            status, Map.of("Content-Type", "application/xml"), xml.getBytes(StandardCharsets.UTF_8))
        .withHeader("x-amz-request-id", "4442587FB7D0A2F9");
  }
}
