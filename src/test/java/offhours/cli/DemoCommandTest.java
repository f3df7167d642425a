package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

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
}
