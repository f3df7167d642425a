package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code offhours upload}: which files become which keys, what it refuses before uploading, and what it says. */
class UploadCommandTest {

  @TempDir
  Path cache;

  CliRun run(String... args) {
    return CliRun.offline(cache, args);
  }

  @Test
  void uploadOfAMissingPathNamesIt() {
    CliRun run = run("upload", "no/such/photo.jpg");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no such file or folder: no/such/photo.jpg");
    assertThat(run("upload").err()).contains("name at least one file or folder to upload");
  }

  @Test
  void uploadPlanKeepsRelativeKeysOfEveryCaseOfImageAndCountsWhatItSkipsInFolders(@TempDir Path dir)
      throws IOException {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    Files.createDirectories(photos.resolve("sub dir"));
    Files.writeString(photos.resolve("sub dir/café + 100%.PNG"), "x");
    Files.writeString(photos.resolve("a.jpeg"), "xy");
    Files.writeString(photos.resolve("IMG_1.Jpg"), "x");
    Files.writeString(photos.resolve("b.JPeg"), "x");
    Files.writeString(photos.resolve("notes.txt"), "n");
    Files.writeString(photos.resolve(".DS_Store"), "n");
    Path outside = Files.writeString(dir.resolve("secret.jpg"), "not in the folder");
    Files.createSymbolicLink(photos.resolve("link.jpg"), outside);
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("far.png"), "x");
    Files.createSymbolicLink(photos.resolve("linked folder"), elsewhere);

    UploadPlan plan = UploadPlan.of(List.of(photos.toString()), "batch");

    assertThat(plan.items())
        .extracting(UploadPlan.Item::key)
        .containsExactly(
            "batch/IMG_1.Jpg", "batch/a.jpeg", "batch/b.JPeg", "batch/sub dir/café + 100%.PNG");
    assertThat(plan.skipped())
        .extracting(s -> s.file().getFileName() + " " + s.reason())
        .containsExactlyInAnyOrder(
            "notes.txt NO_RESULT", ".DS_Store HIDDEN", "link.jpg LINK", "linked folder LINK");
    assertThat(plan.totalBytes()).isEqualTo(5);
    assertThat(UploadCommand.skipped(plan))
        .hasValueSatisfying(text -> assertThat(text)
            .startsWith(
                "skipped 4 files in folders: 1 not .jpg, .jpeg or .png (would never get a result), 1 hidden,"
                    + " 2 symbolic links (not followed): "));
    assertThat(
            UploadCommand.skipped(UploadPlan.of(List.of(photos.resolve("a.jpeg").toString()), "")))
        .isEmpty();
  }

  @Test
  void aNamedFileThatWouldNeverGetAResultOrALinkIsRefusedBeforeAnyUpload(@TempDir Path dir)
      throws IOException {
    Path image = Files.writeString(dir.resolve("a.Png"), "x");
    Path notes = Files.writeString(dir.resolve("notes.txt"), "n");
    Path link = Files.createSymbolicLink(dir.resolve("link.png"), image);

    CliRun run = run("upload", image.toString(), notes.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "offhours: " + notes + " would never get a result: the bucket tells the pipeline"
                + " only of keys ending in .jpg, .jpeg or .png (in any case); leave it out");
    assertThatThrownBy(() -> UploadPlan.of(List.of(link.toString()), ""))
        .hasMessage(link
            + " is a symbolic link, and upload does not follow links; name what it points to instead: "
            + image);
    assertThat(UploadPlan.of(List.of(image.toString()), "in").items())
        .extracting(UploadPlan.Item::key)
        .containsExactly("in/a.Png");
  }

  @Test
  void twoFilesForOneKeyAreRefused(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("a"));
    Files.createDirectories(dir.resolve("b"));
    Files.writeString(dir.resolve("a/x.jpg"), "1");
    Files.writeString(dir.resolve("b/x.jpg"), "2");
    assertThatThrownBy(() -> UploadPlan.of(
            List.of(dir.resolve("a/x.jpg").toString(), dir.resolve("b/x.jpg").toString()), ""))
        .hasMessageContaining("would both be uploaded as 'x.jpg'");
  }

  @Test
  void aKeyOverS3sLimitIsRefusedBeforeAnythingIsUploaded(@TempDir Path dir) throws IOException {
    // moto stored a 1,108-byte key; S3 answers KeyTooLongError, after the files before it went up.
    Path image = Files.writeString(dir.resolve("a.png"), "1");
    Path other = Files.writeString(dir.resolve("b.png"), "2");
    String prefix = "é".repeat(510); // 1,020 bytes, the '/' and "a.png": 1,026

    assertThatThrownBy(() -> UploadPlan.of(List.of(image.toString(), other.toString()), prefix))
        .isInstanceOf(CliException.class)
        .hasMessage("the key of " + image
            + " would be 1026 bytes (UTF-8), over S3's 1024 (so would 1 more); the"
            + " --prefix and the path under the folder count too: shorten them");
    assertThat(UploadPlan.of(List.of(image.toString()), "é".repeat(509)).items())
        .as("exactly 1,024 bytes")
        .extracting(item -> item.key().getBytes(StandardCharsets.UTF_8).length)
        .containsExactly(1024);
  }

  @Test
  void prefixesBecomeFolders() {
    assertThat(UploadPlan.normalizePrefix("")).isEmpty();
    assertThat(UploadPlan.normalizePrefix("in")).isEqualTo("in/");
    assertThat(UploadPlan.normalizePrefix("/in/")).isEqualTo("in/");
    assertThat(UploadPlan.prefixNote("in"))
        .as("only the '/' a folder ends with was added")
        .isEmpty();
    assertThat(UploadPlan.prefixNote("in/")).isEmpty();
    assertThat(UploadPlan.prefixNote("")).isEmpty();
  }

  @Test
  void everyPathLikeSegmentOfAPrefixIsDroppedAlikeAndTheNoteSaysWhatItBecame() {
    assertThat(UploadPlan.normalizePrefix("/lead")).isEqualTo("lead/");
    assertThat(UploadPlan.normalizePrefix("../x")).isEqualTo("x/");
    assertThat(UploadPlan.normalizePrefix("x//y/")).isEqualTo("x/y/");
    assertThat(UploadPlan.normalizePrefix("./a/../b")).isEqualTo("a/b/");
    assertThat(UploadPlan.normalizePrefix("/")).isEmpty();
    assertThat(UploadPlan.normalizePrefix("..a/b.."))
        .as("dots inside a name stay")
        .isEqualTo("..a/b../");

    assertThat(UploadPlan.prefixNote("/lead"))
        .contains("note: --prefix '/lead' became the key prefix 'lead/': a prefix names a folder in"
            + " the bucket, which has no root or parent, so '/' at the start, empty segments"
            + " ('//'), '.' and '..' are dropped");
    assertThat(UploadPlan.prefixNote("x//y/"))
        .get()
        .asString()
        .startsWith("note: --prefix 'x//y/' became the key prefix 'x/y/':");
    assertThat(UploadPlan.prefixNote(".."))
        .get()
        .asString()
        .startsWith("note: --prefix '..' became the key prefix '' (none):");
  }

  @Test
  void anInterruptedUploadSaysHowManyFilesS3ConfirmedAndThatThoseInFlightMayHaveLanded() {
    List<UploadPlan.Item> items = List.of(
        new UploadPlan.Item(Path.of("a.png"), "a.png", 10),
        new UploadPlan.Item(Path.of("b.png"), "b.png", 10),
        new UploadPlan.Item(Path.of("c.png"), "c.png", 10),
        new UploadPlan.Item(Path.of("d.png"), "d.png", 10));
    UploadPlan plan = new UploadPlan(items, List.of());
    java.util.concurrent.CompletableFuture<Object> failed =
        new java.util.concurrent.CompletableFuture<>();
    failed.completeExceptionally(new IllegalStateException("refused"));
    List<java.util.concurrent.CompletableFuture<Object>> puts = List.of(
        java.util.concurrent.CompletableFuture.completedFuture(null),
        java.util.concurrent.CompletableFuture.completedFuture(null),
        failed,
        new java.util.concurrent.CompletableFuture<>());
    assertThat(UploadCommand.interrupted(puts, plan))
        .isEqualTo(
            "offhours: upload interrupted: 2 of 4 files uploaded, 1 more in flight may have been; run the"
                + " same command again to upload the rest (it uploads every file again)");
    List<java.util.concurrent.CompletableFuture<Object>> queued = java.util.stream.Stream.generate(
            java.util.concurrent.CompletableFuture<Object>::new)
        .limit(12)
        .toList();
    assertThat(UploadCommand.interrupted(queued, plan))
        .as("puts still queued for the pool were never sent")
        .startsWith(
            "offhours: upload interrupted: 0 of 4 files uploaded, 8 more in flight may have been;");
  }

  @Test
  void formatsSizesAndProgress() {
    assertThat(UploadCommand.tooLarge(
            new UploadPlan.Item(Path.of("big.jpg"), "big.jpg", 6_800_000), 6_291_456))
        .as("the verdict's words and units (ClassifyHandlerTest)")
        .isEqualTo(
            "note: big.jpg is 6.8 MB; the endpoint accepts at most 6.3 MB, so it will be REJECTED:"
                + " resize or re-encode it under that size and upload it again (the key is"
                + " classified again on upload)");
    assertThat(Progress.Bar.render(3, 7, 500, 1000, "cats/tom.jpg"))
        .isEqualTo("[############------------] 3/7 files  500 B/1.0 kB  cats/tom.jpg");
  }
}
