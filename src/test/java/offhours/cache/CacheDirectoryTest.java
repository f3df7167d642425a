package offhours.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheDirectoryTest {
  private static final Path HOME = Path.of("/home/ada");

  @Test
  void offhoursCacheWinsThenXdgCacheHomeThenTheHomeDirectory() {
    assertThat(CacheDirectory.resolve(Map.of("OFFHOURS_CACHE", "/c", "XDG_CACHE_HOME", "/x"), HOME))
        .isEqualTo(Path.of("/c"));
    assertThat(CacheDirectory.resolve(Map.of("XDG_CACHE_HOME", "/x"), HOME))
        .isEqualTo(Path.of("/x/offhours"));
    assertThat(CacheDirectory.resolve(Map.of(), HOME))
        .isEqualTo(Path.of("/home/ada/.cache/offhours"));
  }

  /** More likely an unset shell variable (OFFHOURS_CACHE=$CACHE) than a choice: said, not read as the default. */
  @Test
  void aBlankOffhoursCacheIsAnErrorNamingIt() {
    assertThatThrownBy(() -> CacheDirectory.resolve(Map.of("OFFHOURS_CACHE", ""), HOME))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "OFFHOURS_CACHE is set but empty; set it to the folder offhours keeps its cache in"
                + " (the default model, the local stack's state and logs), or unset it for"
                + " $XDG_CACHE_HOME/offhours, else ~/.cache/offhours");
    assertThatThrownBy(() -> CacheDirectory.resolve(Map.of("OFFHOURS_CACHE", " \t"), HOME))
        .hasMessageStartingWith("OFFHOURS_CACHE is set but blank (' \\x09'); set it to the folder");
  }

  /** Resolved once, from the directory the command runs in, so every message and the state file say the same folder. */
  @Test
  void aRelativeOffhoursCacheIsMadeAbsoluteFromTheCurrentDirectory() {
    Path cwd = Path.of("").toAbsolutePath();
    assertThat(CacheDirectory.resolve(Map.of("OFFHOURS_CACHE", "my-cache"), HOME))
        .isAbsolute()
        .isEqualTo(cwd.resolve("my-cache"));
  }

  /** XDG Base Directory: "If an implementation encounters a relative path ... it should ... ignore it." */
  @Test
  void aRelativeOrBlankXdgCacheHomeIsIgnoredAsTheSpecificationSays() {
    assertThat(CacheDirectory.resolve(Map.of("XDG_CACHE_HOME", "rel"), HOME))
        .isEqualTo(Path.of("/home/ada/.cache/offhours"));
    assertThat(CacheDirectory.resolve(Map.of("XDG_CACHE_HOME", " "), HOME))
        .isEqualTo(Path.of("/home/ada/.cache/offhours"));
  }
}
