package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import offhours.testing.AwsServicesExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@code offhours upload} into a bucket on moto_server (started by {@link AwsServicesExtension}). */
class UploadCommandIT extends OnMotoStack {

  @TempDir
  Path photos;

  @Test
  void uploadKeepsOddKeysExactlyAndSkipsNonImagesInFolders() throws IOException {
    Files.createDirectories(photos.resolve("sub folder"));
    byte[] png = Files.readAllBytes(Path.of("src/test/resources/images/chelsea.png"));
    Files.write(photos.resolve("café au lait + 100%.png"), png);
    Files.write(photos.resolve("sub folder/ünïcødé photo.JPG"), new byte[] {1, 2, 3});
    Files.write(photos.resolve("a%20b.jpeg"), new byte[] {4});
    Files.writeString(photos.resolve("notes.txt"), "not an image");

    CliRun run = run("upload", photos.toString(), "--prefix", "in");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(moto.s3.listObjectsV2(r -> r.bucket(moto.bucket)).contents())
        .extracting(S3Object::key)
        .containsExactlyInAnyOrder(
            "in/café au lait + 100%.png", "in/sub folder/ünïcødé photo.JPG", "in/a%20b.jpeg");
    assertThat(moto.s3
            .headObject(r -> r.bucket(moto.bucket).key("in/café au lait + 100%.png"))
            .contentLength())
        .isEqualTo(png.length);
    assertThat(run.out())
        .isEqualTo("uploaded 3 files (" + offhours.units.Sizes.format(png.length + 4) + ") to s3://"
            + moto.bucket + "/in/\n");
    assertThat(run.err())
        .contains(
            "skipped 1 file in folders: 1 not .jpg, .jpeg or .png (would never get a result): ",
            "notes.txt")
        .contains("uploaded s3://" + moto.bucket + "/in/a%20b.jpeg (1 B)");
  }

  @Test
  void manyFilesUploadInParallelAndReportInKeyOrder() throws IOException {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 3 * UploadCommand.PARALLEL_PUTS; i++) {
      String name = "img-%02d.png".formatted(i);
      Files.write(photos.resolve(name), new byte[i + 1]);
      keys.add(name);
    }
    CliRun run = run("upload", "--json", photos.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(CliRun.jsonLinesOf(run))
        .extracting(j -> j.get("key").asText())
        .containsExactlyElementsOf(keys);
    assertThat(moto.s3.listObjectsV2(r -> r.bucket(moto.bucket)).contents())
        .extracting(S3Object::key)
        .containsExactlyInAnyOrderElementsOf(keys);
  }

  @Test
  void uploadJsonPrintsKeyBytesAndTheObjectsETag() throws IOException {
    Path file = Files.write(photos.resolve("one + one.png"), new byte[] {9, 9});
    CliRun run = run("upload", "--json", file.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode line = Json.MAPPER.readTree(run.out());
    assertThat(line.get("key").asText()).isEqualTo("one + one.png");
    assertThat(line.get("bytes").asLong()).isEqualTo(2);
    assertThat(line.get("eTag").asText())
        .isEqualTo(moto.s3
            .headObject(r -> r.bucket(moto.bucket).key("one + one.png"))
            .eTag()
            .replace("\"", ""));
    assertThat(run.err()).contains("uploaded 1 file (2 B) to s3://" + moto.bucket + "/");
  }

  /**
   * A stack hosted serverless (its state file's HOSTING, as 'local start --hosting serverless' records it) rejects a
   * 5 MB image, which the other hostings take: upload notes it by that endpoint's 4 MiB, and says nothing is assumed.
   */
  @Test
  void onAServerlessStackAFiveMegabyteFileIsNotedByItsLimit() throws IOException {
    withSettings(Map.of("HOSTING", "serverless"));
    assertThat(notesOfUploading(Map.of("five.png", 5_000_000, "four.png", 4_194_304)))
        .containsExactly(
            "note: five.png is 5.0 MB; the endpoint accepts at most 4.2 MB, so it will be"
                + " REJECTED: resize or re-encode it under that size and upload it again (the key is"
                + " classified again on upload)");
  }

  /**
   * A state file that does not record the stack's hosting (an older version's, from before serverless hosting): files
   * are noted by InvokeEndpoint's limit, with no other note.
   */
  @Test
  void aStackFromBeforeTheHostingSettingGetsInvokeEndpointsLimit() throws IOException {
    assertThat(notesOfUploading(Map.of("five.png", 5_000_000, "seven.png", 6_800_000)))
        .containsExactly(
            "note: seven.png is 6.8 MB; the endpoint accepts at most 6.3 MB, so it will be REJECTED:"
                + " resize or re-encode it under that size and upload it again (the key is classified"
                + " again on upload)");
  }

  /** Uploads files of these names and sizes, which must succeed, and returns the notes upload printed. */
  private List<String> notesOfUploading(Map<String, Integer> sizes) throws IOException {
    for (Map.Entry<String, Integer> file : sizes.entrySet()) {
      Files.write(photos.resolve(file.getKey()), new byte[file.getValue()]);
    }
    CliRun run = run("upload", photos.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.err().lines().filter(l -> l.startsWith("note: ")).toList();
  }

  @Test
  void aFailedUploadSaysHowManyFilesMadeIt() throws IOException {
    refusedStateFile();
    Path file = Files.writeString(photos.resolve("a.jpg"), "x");
    CliRun run = run("upload", file.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("offhours: uploaded 0 of 1 files; " + file + " failed: ");
  }
}
