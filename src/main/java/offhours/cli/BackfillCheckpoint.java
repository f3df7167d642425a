package offhours.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import offhours.cache.CacheFiles;

/**
 * Where an interrupted {@code offhours backfill} goes on: the last key it finished (sent, skipped or ignored), in a
 * file under the cache directory ({@code backfill/<hash>.json}, one per stack, bucket and prefix).
 *
 * <p>A file, not the control table: the control table is the controller's (its items, its role), and a backfill is
 * the user's run, not the stack's state. The cost is that a backfill resumed on another machine starts from the
 * beginning, which is cheap: every object that has a result is skipped with one Query.
 */
final class BackfillCheckpoint {

  private final Path file;
  private final String stack;
  private final String bucket;
  private final String prefix;

  private BackfillCheckpoint(Path file, String stack, String bucket, String prefix) {
    this.file = file;
    this.stack = stack;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  /** The checkpoint of backfilling {@code s3://bucket/prefix} of {@code stack} (e.g. "stack prod"). */
  static BackfillCheckpoint of(Path cacheDir, String stack, String bucket, String prefix) {
    String name = stack + "\n" + bucket + "\n" + prefix;
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return new BackfillCheckpoint(
          cacheDir.resolve("backfill").resolve(HexFormat.of().formatHex(digest, 0, 12) + ".json"),
          stack,
          bucket,
          prefix);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  Path file() {
    return file;
  }

  /** The last key finished by an earlier run that did not reach the end, if any. */
  Optional<String> after() throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(Files.readString(file));
    } catch (IOException e) {
      throw CliException.failure(
          "cannot read the backfill checkpoint " + file + " (" + e.getMessage() + "); delete"
              + " it or run again with --restart (objects with a result are skipped either way)");
    }
    String after = json.path("after").asText(null);
    if (after == null
        || !bucket.equals(json.path("bucket").asText())
        || !prefix.equals(json.path("prefix").asText())) {
      throw CliException.failure("the backfill checkpoint " + file + " is not about s3://" + bucket
          + "/" + prefix + "; delete it or run again with --restart");
    }
    return Optional.of(after);
  }

  /** Records that every key up to and including {@code key} is done; written atomically. */
  void save(String key) throws IOException {
    CacheFiles.writeAtomically(
        file,
        Json.line(Json.object()
                .put("stack", stack)
                .put("bucket", bucket)
                .put("prefix", prefix)
                .put("after", key))
            .getBytes(StandardCharsets.UTF_8));
  }

  /** The backfill reached the end: a next run starts over (and skips what has a result). */
  void clear() throws IOException {
    Files.deleteIfExists(file);
  }
}
