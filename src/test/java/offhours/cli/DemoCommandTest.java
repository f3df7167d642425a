package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

  @Test
  void theFolderIsShownAsTypedFromWhereTheUserIs() {
    Path root = Path.of("/home/me/offhours");
    assertThat(DemoCommand.shown("/home/me/offhours/src/demo/images", root))
        .isEqualTo("src/demo/images");
    assertThat(DemoCommand.shown("/home/me/offhours/./src/demo/../demo/images", root))
        .isEqualTo("src/demo/images");
    assertThat(DemoCommand.shown("/srv/photos", root)).isEqualTo("/srv/photos");
    assertThat(DemoCommand.shown("/home/me/offhours", root)).isEqualTo("/home/me/offhours");
    assertThat(DemoCommand.shown("/home/me/offhours-old/src", root))
        .isEqualTo("/home/me/offhours-old/src");
  }

  @Test
  void filesLeftOutOfANamedFolderAreSaidAsUploadSaysThem(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("cat.jpg"), new byte[] {1});
    Files.write(dir.resolve("dog.heic"), new byte[] {1});
    UploadPlan plan = UploadPlan.of(List.of(dir.toString()), "");
    assertThat(DemoCommand.skipped(plan, true))
        .contains(
            "skipped 1 file in folders: 1 not .jpg, .jpeg or .png (would never get a result): "
                + dir.resolve("dog.heic"));
    // The default folder (src/demo/images) holds its NOTICE.md: not worth a line in every demo.
    assertThat(DemoCommand.skipped(plan, false)).isEmpty();
    Files.delete(dir.resolve("dog.heic"));
    assertThat(DemoCommand.skipped(UploadPlan.of(List.of(dir.toString()), ""), true))
        .isEmpty();
  }
}
