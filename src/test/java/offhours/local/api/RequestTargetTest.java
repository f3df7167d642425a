package offhours.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import offhours.api.UrlDecoding;
import org.junit.jupiter.api.Test;

/** What a key sent raw, percent-encoded or both ways becomes, from the chars the JDK's server makes of its bytes. */
class RequestTargetTest {

  private static final String KEY = "été/大京 crème brûlée.png";

  @Test
  void aKeySentAsRawUtf8IsTheKeyItsClientSent() {
    String raw = "object=" + asTheJdkReadsIt("été/大京%20crème%20brûlée.png");
    assertThat(raw).as("what the handler is given").startsWith("object=Ã©tÃ©/");

    String text = RequestTarget.text(raw, "the query");

    assertThat(text).isEqualTo("object=été/大京%20crème%20brûlée.png");
    assertThat(UrlDecoding.form(text.substring("object=".length()), "the key")).isEqualTo(KEY);
  }

  @Test
  void rawPercentEncodedAndMixedFormsOfAKeyNameTheSameKey() {
    String encoded = "%C3%A9t%C3%A9/%E5%A4%A7%E4%BA%AC%20cr%C3%A8me%20br%C3%BBl%C3%A9e.png";
    for (String sent : List.of(
        asTheJdkReadsIt("été/大京%20crème%20brûlée.png"),
        encoded,
        asTheJdkReadsIt("%C3%A9té/大%E4%BA%AC%20crème+br%C3%BBlée.png"))) {
      assertThat(UrlDecoding.form(RequestTarget.text(sent, "the query"), "the key"))
          .as(sent)
          .isEqualTo(KEY);
    }
    assertThat(RequestTarget.text(encoded, "the query"))
        .as("ASCII, percent-encoded as browsers send it: as it was")
        .isSameAs(encoded);
    assertThat(RequestTarget.text(null, "the query")).as("no '?'").isNull();
  }

  @Test
  void rawBytesThatAreNotUtf8AreRefusedWithWhatIsWrongNeverReplaced() {
    // Latin-1 'é' is the one byte 0xE9: the start of a three-byte character cut short by 't'.
    assertThatThrownBy(() -> RequestTarget.text("object=\u00E9t\u00E9.png", "the query"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the query has raw bytes that are not UTF-8: 0xE9 is cut short: 0xE9 starts a"
            + " character of 3 bytes; send text as UTF-8, its bytes as they are or"
            + " percent-encoded");
    assertThatThrownBy(() -> RequestTarget.text("/results/\u00C0\u00AFetc", "the path"))
        .as("an overlong '/'")
        .hasMessageStartingWith(
            "the path has raw bytes that are not UTF-8: 0xC0 starts only" + " overlong forms");
    assertThatThrownBy(() -> RequestTarget.text("object=a\u00A9b", "the query"))
        .hasMessageStartingWith("the query has raw bytes that are not UTF-8: 0xA9 continues no"
            + " character: a lone continuation byte;");
    assertThatThrownBy(() -> RequestTarget.text("object=\u00C3%A9", "the query"))
        .as("a character split between a raw byte and an escape")
        .hasMessageStartingWith("the query has raw bytes that are not UTF-8: 0xC3 is cut short");
  }

  @Test
  void aCharTheJdkCannotHaveReadFromOneByteIsABug() {
    assertThatThrownBy(() -> RequestTarget.text("object=写真", "the query"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the query has U+5199, which is no byte: a request target is read one byte per"
            + " char");
  }

  /** {@code text}'s UTF-8 bytes, one char each, as the JDK's server reads a request line. */
  private static String asTheJdkReadsIt(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }
}
