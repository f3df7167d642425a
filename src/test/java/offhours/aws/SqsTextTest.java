package offhours.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqsTextTest {

  @Test
  void charactersSqsRefusesAreWrittenAsEscapes() {
    assertThat(SqsText.of("\u001b[31mCUDA error\u001b[0m\u0000", 1000))
        .isEqualTo("\\u001b[31mCUDA error\\u001b[0m\\u0000");
    assertThat(SqsText.of("a\u0008b\u001fc\ufffe\uffff", 1000))
        .isEqualTo("a\\u0008b\\u001fc\\ufffe\\uffff");
    assertThat(SqsText.of("lone \ud800 and \udc00 halves", 1000))
        .isEqualTo("lone \\ud800 and \\udc00 halves");
  }

  @Test
  void everythingSqsAcceptsIsKept() {
    String text =
        "tab\tline\ncr\r café \u007f\u0085 \ud7ff \ue000 \ufffd \ud83d\ude00 \udbff\udfff";
    assertThat(SqsText.of(text, 1000)).isEqualTo(text);
  }

  @Test
  void longTextIsCutToTheLimitWithoutSplittingASurrogatePair() {
    assertThat(SqsText.of("x".repeat(20), 10)).isEqualTo("xxxxxxx...");
    assertThat(SqsText.of("x".repeat(10), 10)).isEqualTo("x".repeat(10));
    // The cut would fall between the two halves of U+1F600: the pair goes whole.
    assertThat(SqsText.of("xxxxxx\ud83d\ude00yyyy", 10)).isEqualTo("xxxxxx...");
    assertThat(SqsText.of("xxxxx\ud83d\ude00yyyy", 10)).isEqualTo("xxxxx\ud83d\ude00...");
    // Escapes count toward the limit (the result is what SQS receives) and are never cut.
    assertThat(SqsText.of("\u0000\u0000", 10)).isEqualTo("\\u0000...");
    assertThatThrownBy(() -> SqsText.of("x", 3)).hasMessage("maxChars must be at least 4, got 3");
  }

  @Test
  void theAllowedRangesAreExactlySqsOnes() {
    assertThat(SqsText.allowed(0x8)).isFalse();
    assertThat(SqsText.allowed(0x9)).isTrue();
    assertThat(SqsText.allowed(0xB)).isFalse();
    assertThat(SqsText.allowed(0x1F)).isFalse();
    assertThat(SqsText.allowed(0x20)).isTrue();
    assertThat(SqsText.allowed(0xD800)).isFalse();
    assertThat(SqsText.allowed(0xDFFF)).isFalse();
    assertThat(SqsText.allowed(0xFFFE)).isFalse();
    assertThat(SqsText.allowed(0x10FFFF)).isTrue();
  }
}
