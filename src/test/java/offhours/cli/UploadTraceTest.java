package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import offhours.endpoint.sim.TraceFile;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link UploadTrace} over a listing served page by page in memory (S3's order: by key, each key's versions newest
 * first), and {@link TraceCommand}'s words for S3's refusals; the listing against moto_server is {@code TraceCommandIT}.
 */
class UploadTraceTest {

  private static final Instant FROM = Instant.parse("2026-11-18T14:00:00Z");
  private static final Instant TO = Instant.parse("2026-11-25T14:00:00Z");

  private final List<ListObjectVersionsRequest> requests = new ArrayList<>();

  /** A listing of {@code pages}, each answered in turn; the request of each is kept. */
  private S3Client listing(List<ListObjectVersionsResponse> pages) {
    return new S3Client() {
      @Override
      public ListObjectVersionsResponse listObjectVersions(ListObjectVersionsRequest request) {
        requests.add(request);
        return pages.get(requests.size() - 1);
      }

      @Override
      public String serviceName() {
        return "s3";
      }

      @Override
      public void close() {}
    };
  }

  /** The trace file {@code trace} writes. */
  private static String text(UploadTrace trace) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    trace.write(new PrintStream(out, false, StandardCharsets.UTF_8), "the last 7 days");
    return out.toString(StandardCharsets.UTF_8);
  }

  private static ObjectVersion version(String key, String lastModified) {
    return ObjectVersion.builder()
        .key(key)
        .versionId("v-" + lastModified)
        .lastModified(lastModified == null ? null : Instant.parse(lastModified))
        .build();
  }

  private static ListObjectVersionsResponse page(
      boolean truncated, List<ObjectVersion> versions, int deleteMarkers) {
    List<DeleteMarkerEntry> markers = new ArrayList<>();
    for (int i = 0; i < deleteMarkers; i++) {
      markers.add(DeleteMarkerEntry.builder().key("gone.jpg").versionId("d" + i).build());
    }
    return ListObjectVersionsResponse.builder()
        .isTruncated(truncated)
        .nextKeyMarker(truncated ? versions.getLast().key() : null)
        .nextVersionIdMarker(truncated ? versions.getLast().versionId() : null)
        .versions(versions)
        .deleteMarkers(markers)
        .build();
  }

  @Test
  void everyVersionOfAClassifiedKeyInThePeriodIsOneLineOldestFirstAndTraceFileReadsThemBack()
      throws IOException {
    S3Client s3 = listing(List.of(
        page(
            true,
            List.of(
                // a key overwritten twice in the period, listed newest first
                version("cats/a.JPG", "2026-11-24T09:00:02Z"),
                version("cats/a.JPG", "2026-11-20T08:00:00Z"),
                version("cats/a.JPG", "2026-11-01T08:00:00Z"), // before the period
                version("cats/notes.txt", "2026-11-21T08:00:00Z")),
            2),
        page(
            false,
            List.of(
                version("dogs/b.png", "2026-11-19T10:30:00.250Z"),
                version("dogs/c.jpeg", FROM.toString()), // the period's first instant is in it
                version("dogs/d.jpeg", "2026-11-25T14:00:01Z"), // after its end
                version("dogs/e.png", null)),
            0)));

    String text = text(UploadTrace.list(s3, "photos", "", FROM, TO, 10, 4, t -> {}));

    assertThat(requests).hasSize(2);
    assertThat(requests.getFirst().prefix()).isNull();
    assertThat(requests.getFirst().maxKeys()).isEqualTo(4);
    assertThat(requests.get(1).keyMarker()).isEqualTo("cats/notes.txt");
    assertThat(requests.get(1).versionIdMarker()).isEqualTo("v-2026-11-21T08:00:00Z");
    assertThat(text.lines().filter(l -> !l.startsWith("# ")))
        .containsExactly(
            "2026-11-18T14:00:00Z",
            "2026-11-19T10:30:00.250Z",
            "2026-11-20T08:00:00Z",
            "2026-11-24T09:00:02Z");
    assertThat(text.lines().filter(l -> l.startsWith("# ")).toList())
        .containsExactly(
            "# offhours trace: uploads to bucket photos, prefix '', that the pipeline classifies (keys"
                + " ending .jpg, .jpeg, .png in any case)",
            "# period: 2026-11-18T14:00:00Z to 2026-11-25T14:00:00Z (the last 7 days)",
            "# 4 uploads: the LastModified of each object version, an overwritten key once per version",
            "# listed 8 object versions; left out: 2 delete markers (not uploads), 1 version of keys"
                + " the pipeline does not classify (not .jpg, .jpeg, .png), 1 upload before the period,"
                + " 1 upload after its end (made while the listing ran), 1 version the listing gave no"
                + " LastModified",
            "# " + UploadTrace.NOT_SEEN);
    assertThat(TraceFile.parse("trace", text.lines().toList()))
        .containsExactly(
            Instant.parse("2026-11-18T14:00:00Z"),
            Instant.parse("2026-11-19T10:30:00.250Z"),
            Instant.parse("2026-11-20T08:00:00Z"),
            Instant.parse("2026-11-24T09:00:02Z"));
  }

  @Test
  void keysNeverReachTheOutputAndAPrefixWithALineBreakStaysInItsCommentLine() throws IOException {
    S3Client s3 = listing(List.of(page(
        false,
        List.of(
            version("in\n2026-11-20T00:00:00Z\n.png", "2026-11-21T08:00:00Z"),
            version("in\nsecret name.jpg", "2026-11-22T08:00:00Z")),
        0)));

    String text = text(UploadTrace.list(s3, "photos", "in\n", FROM, TO, 10, 1000, t -> {}));

    assertThat(requests.getFirst().prefix()).isEqualTo("in\n");
    assertThat(text).doesNotContain("secret name").doesNotContain("2026-11-20T00:00:00Z");
    assertThat(text.lines().filter(l -> !l.startsWith("# ")))
        .containsExactly("2026-11-21T08:00:00Z", "2026-11-22T08:00:00Z");
    assertThat(TraceFile.parse("trace", text.lines().toList())).hasSize(2);
  }

  @Test
  void aPeriodWithMoreUploadsThanTheCapFailsSayingHowToNarrowIt() {
    S3Client s3 = listing(List.of(page(
        false,
        List.of(
            version("a.jpg", "2026-11-21T08:00:00Z"),
            version("b.jpg", "2026-11-21T09:00:00Z"),
            version("c.jpg", "2026-11-21T10:00:00Z")),
        0)));

    assertThatThrownBy(() -> UploadTrace.list(s3, "photos", "p/", FROM, TO, 2, 1000, t -> {}))
        .isInstanceOf(CliException.class)
        .hasMessage("s3://photos/p/ has more than 2 uploads from 2026-11-18T14:00:00Z to"
            + " 2026-11-25T14:00:00Z, more than a trace holds; trace it a --prefix or fewer --days at a"
            + " time");
  }

  @Test
  void progressIsToldAfterEveryPageWithCountsOnly() {
    S3Client s3 = listing(List.of(
        page(true, List.of(version("x/secret.jpg", "2026-11-21T08:00:00Z")), 0),
        page(false, List.of(version("y.txt", "2026-11-21T08:00:00Z")), 0)));
    List<String> said = new ArrayList<>();

    UploadTrace.list(s3, "photos", "", FROM, TO, 10, 1, t -> said.add(t.progress()));

    assertThat(said)
        .containsExactly(
            "listed 1 object version of s3://photos/: 1 upload in the period so far",
            "listed 2 object versions of s3://photos/: 1 upload in the period so far");
  }

  @Test
  void theCommandsProgressIsALineEveryHundredPagesInALogAndRedrawnOnATerminal() {
    List<ListObjectVersionsResponse> pages = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      pages.add(page(i < 249, List.of(version("p" + i + ".txt", "2026-11-21T08:00:00Z")), 0));
    }
    assertThat(progressOf(pages, false))
        .isEqualTo("listed 100 object versions of s3://photos/: 0 uploads in the period so far\n"
            + "listed 200 object versions of s3://photos/: 0 uploads in the period so far\n");
    requests.clear();
    assertThat(progressOf(pages.subList(248, 250), true))
        .isEqualTo("\r\033[Klisted 1 object version of s3://photos/: 0 uploads in the period so far"
            + "\r\033[Klisted 2 object versions of s3://photos/: 0 uploads in the period so far");
  }

  /** What the command's progress says on stderr while {@code pages} are listed, one version a page. */
  private String progressOf(List<ListObjectVersionsResponse> pages, boolean terminal) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Consumer<UploadTrace> progress =
        TraceCommand.progress(new PrintStream(err, true, StandardCharsets.UTF_8), terminal);
    UploadTrace.list(listing(pages), "photos", "", FROM, TO, 10, 1, progress);
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void s3sRefusalsSayWhatIsMissing() {
    NoSuchBucketException missing =
        (NoSuchBucketException) NoSuchBucketException.builder().statusCode(404).build();
    assertThat(TraceCommand.failure(missing, "b", "bucket b"))
        .as("said by the command, which knows whence the name came (NotFound.BUCKET)")
        .isSameAs(missing);
    S3Exception denied = (S3Exception) S3Exception.builder()
        .statusCode(403)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("AccessDenied")
            .serviceName("S3")
            .build())
        .build();
    assertThat(TraceCommand.failure(denied, "b", "bucket b of stack prod"))
        .hasMessage("you may not list the object versions of bucket b of stack prod: trace needs"
            + " s3:ListBucketVersions on arn:aws:s3:::b (S3 answered AccessDenied, HTTP 403)");
    S3Exception moved = (S3Exception) S3Exception.builder()
        .statusCode(301)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("PermanentRedirect")
            .sdkHttpResponse(SdkHttpResponse.builder()
                .statusCode(301)
                .putHeader("x-amz-bucket-region", "eu-west-1")
                .build())
            .build())
        .build();
    assertThat(TraceCommand.failure(moved, "b", "bucket b"))
        .hasMessage("bucket b is in region eu-west-1; run with AWS_REGION=eu-west-1");
  }
}
