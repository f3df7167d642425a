package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import offhours.local.process.ProcessRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a fetch killed outright leaves in the cache ({@code fetch-nsfwjs-*} folders) is removed by the next call, and
 * nothing else is: not another process's fetch in progress, not symbolic links, not other names. Starts one extra
 * JVM ({@link FetchLockHolder}) as that other process; needs {@code true} (coreutils).
 */
class FetchLockTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void aLeftoverFolderIsRemovedAndSaidInOneLine(@TempDir Path cache, @TempDir Path elsewhere)
      throws IOException {
    completeModel(cache);
    Path leftover = Files.createDirectories(cache.resolve("fetch-nsfwjs-4711"));
    Files.write(leftover.resolve("nsfwjs-4.4.0.tgz"), new byte[] {1, 2, 3});
    Path outside = Files.writeString(elsewhere.resolve("keep.txt"), "not the cache's");
    Files.createSymbolicLink(leftover.resolve("link-out"), outside);
    Files.createSymbolicLink(leftover.resolve("dir-out"), elsewhere);
    Path linkedAway = Files.createSymbolicLink(cache.resolve("fetch-nsfwjs-link"), elsewhere);
    Path otherName = Files.createDirectories(cache.resolve("fetch-nsfwjs.old"));
    Path otherPrefix = Files.createDirectories(cache.resolve("my-fetch-nsfwjs-1"));

    model(cache, "offhours-no-such-npm").ensure();

    assertThat(leftover).doesNotExist();
    assertThat(outside).hasContent("not the cache's");
    assertThat(elsewhere.resolve("keep.txt")).exists();
    assertThat(linkedAway).isSymbolicLink();
    assertThat(otherName).isDirectory();
    assertThat(otherPrefix).isDirectory();
    assertThat(stderr())
        .isEqualTo("removed what an interrupted fetch of the default model left in " + cache
            + ": fetch-nsfwjs-4711\n");
  }

  @Test
  void anotherProcesssFetchInProgressIsLeftAlone(@TempDir Path cache) throws Exception {
    completeModel(cache);
    Path inProgress = Files.createDirectories(cache.resolve("fetch-nsfwjs-123"));
    Process holder = holdInAnotherProcess(cache);
    try {
      model(cache, "offhours-no-such-npm").ensure();

      assertThat(inProgress).isDirectory();
      assertThat(stderr()).isEmpty();
    } finally {
      release(holder);
    }
    model(cache, "offhours-no-such-npm").ensure();
    assertThat(inProgress).as("once that process has ended").doesNotExist();
  }

  @Test
  void aFetchWaitsForAnotherProcesssFetchAndSaysSo(@TempDir Path cache) throws Exception {
    Process holder = holdInAnotherProcess(cache);
    CompletableFuture<ModelFiles> fetch;
    try {
      // 'true' answers --version, and 'npm pack' writes no package: once it may start, the fetch
      // stops there.
      fetch = CompletableFuture.supplyAsync(() -> {
        try {
          return model(cache, "true").ensure();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      String waiting = "another offhours process is fetching the default model into " + cache
          + "; waiting for it to finish\n";
      while (!stderr().equals(waiting)) {
        assertThat(fetch)
            .as("the fetch waits while the other process holds the lock")
            .isNotDone();
        Thread.sleep(20);
      }
      assertThat(fetch).isNotDone();
    } finally {
      release(holder);
    }
    assertThatThrownBy(fetch::join).hasMessageContaining("npm pack nsfwjs@4.4.0 did not write");
  }

  @Test
  void aFetchRemovesLeftoversBeforeItStartsAndItsOwnFolderWhenItFails(@TempDir Path cache)
      throws IOException {
    Files.createDirectories(cache.resolve("fetch-nsfwjs-1"));
    Files.createDirectories(cache.resolve("fetch-nsfwjs-2"));

    // 'true' answers --version, and 'npm pack' writes no package: the fetch stops there.
    assertThatThrownBy(() -> model(cache, "true").ensure())
        .hasMessageStartingWith("npm pack nsfwjs@4.4.0 did not write");

    assertThat(stderr())
        .isEqualTo("removed what an interrupted fetch of the default model left in " + cache
            + ": fetch-nsfwjs-1, fetch-nsfwjs-2\n"
            + "fetching the default model (npm nsfwjs@4.4.0) and converting it to ONNX, once: later"
            + " runs use the copy in " + DefaultModel.modelDir(cache) + " ...\n");
    try (var names = Files.list(cache)) {
      assertThat(names.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("models", FetchLock.LOCK_FILE);
    }
  }

  @Test
  void aCompleteCacheWithoutLeftoversIsNotWrittenTo(@TempDir Path cache) throws IOException {
    completeModel(cache);

    model(cache, "offhours-no-such-npm").ensure();

    assertThat(cache.resolve(FetchLock.LOCK_FILE)).doesNotExist();
    assertThat(stderr()).isEmpty();
  }

  /** Starts {@link FetchLockHolder} on {@code cache} and returns once it holds the lock. */
  private static Process holdInAnotherProcess(Path cache) throws IOException {
    Process holder = new ProcessBuilder(
            ProcessHandle.current().info().command().orElseThrow(),
            "-cp",
            System.getProperty("java.class.path"),
            FetchLockHolder.class.getName(),
            cache.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("held");
    return holder;
  }

  private static void release(Process holder) throws IOException, InterruptedException {
    holder.getOutputStream().close();
    assertThat(holder.waitFor()).isZero();
  }

  private DefaultModel model(Path cache, String tools) {
    return new DefaultModel(cache, tools, tools, ProcessRecorder.NONE, new PrintStream(err, true));
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static void completeModel(Path cache) throws IOException {
    Path dir = Files.createDirectories(DefaultModel.modelDir(cache));
    Files.write(dir.resolve("nsfwjs-mobilenet_v2.onnx"), new byte[] {1});
    Files.writeString(dir.resolve("labels.txt"), "Drawing\n");
  }
}
