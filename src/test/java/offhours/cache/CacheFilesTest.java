package offhours.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheFilesTest {

  @Test
  void anAtomicWriteReplacesTheFileAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("labels.txt");
    Files.writeString(target, "old");

    CacheFiles.writeAtomically(target, "new".getBytes());

    assertThat(target).hasContent("new");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }
}
