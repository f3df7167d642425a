package offhours.local;

import java.io.IOException;
import java.nio.file.Path;
import offhours.cache.CacheFiles;

/**
 * Where the local stack keeps its files under the cache directory: {@code local/} (the state file) and
 * {@code local/logs/} (moto_server's, the containers', the background stack's and the demo's function logs). Both
 * directories are private to the user: the state file holds the stack's credentials.
 */
public final class LocalDirectory {

  private LocalDirectory() {}

  /** {@code <cache>/local}, created (or made) 0700. */
  public static Path of(Path cacheDir) throws IOException {
    return CacheFiles.privateDirectory(cacheDir.resolve("local"));
  }

  /** {@code <cache>/local/logs}, created (or made) 0700 with its parent. */
  public static Path logs(Path cacheDir) throws IOException {
    return CacheFiles.privateDirectory(of(cacheDir).resolve("logs"));
  }
}
