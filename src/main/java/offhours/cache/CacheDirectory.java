package offhours.cache;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import offhours.units.Shown;

/**
 * offhours' own directory on the user's machine: the default model, the local stack's state file and its logs.
 * {@code $OFFHOURS_CACHE}, else {@code $XDG_CACHE_HOME/offhours}, else {@code ~/.cache/offhours}, always as an absolute
 * path: a relative OFFHOURS_CACHE is taken from the current directory once, here, so every message, the state file and
 * the local stack's own process name the same folder whichever directory a later command runs in. An OFFHOURS_CACHE
 * that is set but blank is refused: it is more likely an unset shell variable than a choice. XDG_CACHE_HOME is read as
 * the XDG Base Directory specification says (https://specifications.freedesktop.org/basedir-spec/latest/): unset,
 * empty or relative, it is ignored.
 */
public final class CacheDirectory {

  private CacheDirectory() {}

  /**
   * The directory for this environment and home directory, absolute; nothing is created.
   *
   * @throws IllegalArgumentException naming OFFHOURS_CACHE when it is blank or no path
   */
  public static Path resolve(Map<String, String> env, Path userHome) {
    String own = env.get("OFFHOURS_CACHE");
    if (own != null) {
      if (own.isBlank()) {
        throw new IllegalArgumentException("OFFHOURS_CACHE is set but "
            + (own.isEmpty() ? "empty" : "blank ('" + Shown.value(own) + "')")
            + "; set it to the folder offhours keeps its cache in (the default model, the local"
            + " stack's state and logs), or unset it for $XDG_CACHE_HOME/offhours, else"
            + " ~/.cache/offhours");
      }
      try {
        return Path.of(own).toAbsolutePath();
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(
            "OFFHOURS_CACHE '" + Shown.value(own) + "' is no path (" + e.getReason() + ")");
      }
    }
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      try {
        Path base = Path.of(xdg);
        if (base.isAbsolute()) {
          return base.resolve("offhours");
        }
      } catch (InvalidPathException e) {
        // ignored, as the specification says of a relative path
      }
    }
    return userHome.toAbsolutePath().resolve(".cache").resolve("offhours");
  }

  /** The directory of this process: its environment and the {@code user.home} system property. */
  public static Path ofThisProcess() {
    return resolve(System.getenv(), Path.of(System.getProperty("user.home")));
  }
}
