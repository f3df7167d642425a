package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code local status --help} names every model option the command prints: a script reading {@code --json} learns its
 * keys there, and a reader of the table its rows (the help named neither the ONNX model's four preprocessing options
 * nor their keys, which the table and the JSON showed).
 */
class LocalStatusHelpTest {

  @Test
  void theHelpNamesEveryServedOptionByItsKeyAndItsFlag() {
    String help = new LocalStatusCommand().description().replaceAll("\\s+", " ");

    LocalStatusCommand.FLAGS.forEach((key, flag) -> {
      assertThat(help).as("the JSON key of %s", flag).contains("\"" + key + "\"");
      assertThat(help).as("the table's row of %s", key).contains(flag);
    });
  }
}
