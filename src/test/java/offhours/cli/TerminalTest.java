package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Terminal#shellWord}: a value a message names as one word a user can paste into a shell. */
class TerminalTest {

  @Test
  void aPlainValueStaysAsItIsAndOneWithABlankOrAQuoteIsSingleQuoted() {
    assertThat(Terminal.shellWord("cats/a-1.png")).isEqualTo("cats/a-1.png");
    assertThat(Terminal.shellWord("Golden Retriever")).isEqualTo("'Golden Retriever'");
    assertThat(Terminal.shellWord("it's")).isEqualTo("'it'\\''s'");
    assertThat(Terminal.shellWord("")).isEqualTo("''");
  }

  @Test
  void aValueWithAControlCharacterIsInBashsDollarQuotesWhichReadTheEscapesBack() {
    // In '...' the escape a terminal must be shown would stay four characters: not the value.
    String word = Terminal.shellWord("it's\u001b[2J\\");

    assertThat(word).isEqualTo("$'it\\'s\\x1b[2J\\\\'");
    assertThat(Terminal.printable(word))
        .as("nothing left for printable to escape")
        .isEqualTo(word);
  }
}
