package offhours.cache;

import java.nio.file.Path;
import java.util.Map;

/**
 * offhours' own directory on the user's machine: the default model, the local stack's state file and its logs.
 * {@code $OFFHOURS_CACHE}, else {@code $XDG_CACHE_HOME/offhours}, else {@code ~/.cache/offhours}.
 */
public final class CacheDirectory {

  private CacheDirectory() {}

  /** The directory for this environment and home directory; nothing is created. */
  public static Path resolve(Map<String, String> env, Path userHome) {
    String own = env.get("OFFHOURS_CACHE");
    if (own != null && !own.isBlank()) {
      return Path.of(own);
    }
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "offhours");
    }
    return userHome.resolve(".cache").resolve("offhours");
  }

  /** The directory of this process: its environment and the {@code user.home} system property. */
  public static Path ofThisProcess() {
    return resolve(System.getenv(), Path.of(System.getProperty("user.home")));
  }
}
