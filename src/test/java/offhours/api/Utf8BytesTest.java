package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Utf8BytesTest {

  @Test
  void utf8IsReadAsTheTextItIs() {
    for (String text : new String[] {"", "a.png", "été/crème brûlée.png", "写真/京", "🚀 rocket"}) {
      assertThat(Utf8Bytes.decode(text.getBytes(StandardCharsets.UTF_8), p -> p))
          .isEqualTo(text);
    }
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedWithWhatIsWrongWithThem() {
    Map<String, String> problems = Map.of(
        "A9", "0xA9 continues no character: a lone continuation byte",
        "C0AF",
            "0xC0 starts only overlong forms: a character in more bytes than it takes, which"
                + " UTF-8 forbids",
        "E080AF",
            "0xE0 0x80 0xAF is an overlong form: a character in more bytes than it takes,"
                + " which UTF-8 forbids",
        "F08080AF",
            "0xF0 0x80 0x80 0xAF is an overlong form: a character in more bytes than it"
                + " takes, which UTF-8 forbids",
        "C3", "0xC3 is cut short: 0xC3 starts a character of 2 bytes",
        "E28241", "0xE2 0x82 is cut short: 0xE2 starts a character of 3 bytes",
        "EDA1A1", "0xED 0xA1 0xA1 is a UTF-16 surrogate, which is no character",
        "F4908080", "0xF4 0x90 0x80 0x80 is past U+10FFFF, the last character",
        "FF", "0xFF is never a byte of UTF-8");
    problems.forEach((hex, problem) -> {
      byte[] bytes = HexFormat.of().parseHex("61" + hex + "62");
      assertThatThrownBy(() -> Utf8Bytes.decode(bytes, p -> "the key is not UTF-8: " + p))
          .as(hex)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the key is not UTF-8: " + problem);
    });
  }

  /**
   * Every sequence of up to three bytes drawn from the bytes where UTF-8's rules change, and of four that starts a
   * four-byte character: refused exactly when the JDK's strict decoder refuses it, and read as it reads it otherwise.
   */
  @Test
  void refusesExactlyWhatTheJdksStrictDecoderRefuses() {
    int[] edges = {
      0x41, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4,
      0xF5, 0xFF
    };
    List<String> disagreements = new ArrayList<>();
    int checked = 0;
    for (int length = 1; length <= 4; length++) {
      for (int n = 0; n < Math.pow(edges.length, length); n++) {
        byte[] bytes = new byte[length];
        int rest = n;
        for (int k = 0; k < length; k++) {
          bytes[k] = (byte) edges[rest % edges.length];
          rest /= edges.length;
        }
        if (length == 4 && (bytes[0] & 0xFF) < 0xF0) {
          continue; // four bytes after a shorter character: the shorter sequences cover it
        }
        String jdk = strict(bytes);
        boolean agrees = jdk == null
            ? Utf8Bytes.problem(bytes) != null
            : jdk.equals(Utf8Bytes.decode(bytes, p -> p));
        if (!agrees) {
          disagreements.add(HexFormat.of().formatHex(bytes));
        }
        checked++;
      }
    }
    assertThat(disagreements).isEmpty();
    assertThat(checked).isEqualTo(17 + 17 * 17 + 17 * 17 * 17 + 4 * 17 * 17 * 17);
  }

  private static String strict(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return decoder.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
