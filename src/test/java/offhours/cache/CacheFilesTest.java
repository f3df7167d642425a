package offhours.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

  @Test
  void writtenFilesAndTheirDirectoriesArePrivateToTheUser(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("local").resolve("stack.json");

    CacheFiles.writeAtomically(target, "{}".getBytes());

    assertThat(permissions(target)).isEqualTo("rw-------");
    assertThat(permissions(target.getParent())).isEqualTo("rwx------");
  }

  @Test
  void existingFilesAndDirectoriesAreMadePrivate(@TempDir Path dir) throws IOException {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Path log = Files.writeString(logs.resolve("moto_server.log"), "old lines\n");
    Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-r--r--"));

    CacheFiles.privateFile(log);
    CacheFiles.privateDirectory(logs);

    assertThat(permissions(log)).isEqualTo("rw-------");
    assertThat(permissions(logs)).isEqualTo("rwx------");
    assertThat(log).hasContent("old lines");
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
