package offhours.cache;

import static org.assertj.core.api.Assertions.assertThat;

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
    assertThat(CacheDirectory.resolve(Map.of("OFFHOURS_CACHE", ""), HOME))
        .isEqualTo(Path.of("/home/ada/.cache/offhours"));
  }
}
