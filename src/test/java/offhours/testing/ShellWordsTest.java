package offhours.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShellWordsTest {

  @Test
  void wordsAreSplitAsTheShellSplitsThem() {
    assertThat(ShellWords.split(
            "aws x --query \"Stacks[?K=='A'].V\" --values '{\":l\":{\"S\":\"N\"}}'  --flag ''"))
        .containsExactly(
            "aws",
            "x",
            "--query",
            "Stacks[?K=='A'].V",
            "--values",
            "{\":l\":{\"S\":\"N\"}}",
            "--flag",
            "");
  }

  @Test
  void anUnclosedQuoteIsAnError() {
    assertThatThrownBy(() -> ShellWords.split("aws s3 cp 'a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unclosed quote in aws s3 cp 'a b");
  }
}
