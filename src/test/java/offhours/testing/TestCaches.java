package offhours.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import offhours.cache.CacheDirectory;
import offhours.local.model.DefaultModel;

/**
 * The offhours caches tests run on. A test that starts a stack, the demo, the chaos run or a script gets a cache of its
 * own (passed as {@code OFFHOURS_CACHE} to what it starts), so the state file, the stack's logs, the demo's and the
 * chaos run's function logs never land in the user's cache, where a stack of the user's own may be writing them. Only
 * the default model is shared: fetching and converting it takes minutes, so each own cache's {@code models} is a
 * symbolic link to the user's cache's, made after {@link DefaultModel#ensure} has the model there. A fetch, when one
 * is needed, thus takes the lock at the user's cache's root, where every other fetch on this machine takes it.
 */
public final class TestCaches {

  private static Path ofThisJvm;

  private TestCaches() {}

  /**
   * The user's cache ($OFFHOURS_CACHE, else $XDG_CACHE_HOME/offhours, else ~/.cache/offhours): its default model is
   * what tests share, and nothing else of it is theirs to write.
   */
  public static Path user() {
    return CacheDirectory.ofThisProcess();
  }

  /**
   * A new cache at {@code dir} (made if missing; a test's temporary directory, under target/tmp when Maven runs it)
   * whose {@code models} links to the user's cache's, the default model in place. The link is made after the model,
   * never before: a fetch through it would lock this cache's root, not the user's.
   */
  public static Path sharingTheDefaultModel(Path dir) throws IOException {
    DefaultModel.ensure(user());
    Files.createDirectories(dir);
    Files.createSymbolicLink(dir.resolve("models"), user().resolve("models"));
    return dir;
  }

  /**
   * One cache of this JVM's own for the tests that start stacks in-process one after the other, made on first use in
   * java.io.tmpdir (target/tmp under Maven: each test JVM its own) and left there for the logs' sake.
   */
  public static synchronized Path ofThisJvm() throws IOException {
    if (ofThisJvm == null) {
      ofThisJvm = sharingTheDefaultModel(Files.createTempDirectory("offhours-cache-"));
    }
    return ofThisJvm;
  }
}
