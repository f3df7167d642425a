package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTextTest {

  @Test
  void anUntrustedKeyCannotFormMarkupEvenIfABrowserSniffsTheJsonAsHtml() {
    String key = "<img src=x onerror=alert(1)>.png";

    String json = JsonText.write(Map.of("key", key));

    assertThat(json)
        .isEqualTo("{\"key\":\"\\u003cimg src=x onerror=alert(1)\\u003e.png\"}")
        .doesNotContain("<", ">");
    assertThat(JsonText.string(JsonText.parse(json.getBytes(StandardCharsets.UTF_8)), "key"))
        .as("the escapes mean the same characters to a JSON reader")
        .isEqualTo(key);
  }

  @Test
  void ampersandsQuotesAndLineSeparatorsAreEscaped() {
    String json = JsonText.write(List.of("a&b\"c\u2028d\u2029</script>"));

    assertThat(json).isEqualTo("[\"a\\u0026b\\\"c\\u2028d\\u2029\\u003c/script\\u003e\"]");
  }

  @Test
  void writesMapsInTheirOrderInstantsAsIsoAndNotANumberAsNull() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", 1);
    m.put("a", Instant.parse("2026-11-25T10:15:00Z"));
    m.put("nan", Double.NaN);
    m.put("none", null);
    m.put("list", Arrays.asList(true, 2L, 0.5));

    assertThat(JsonText.write(m))
        .isEqualTo(
            "{\"z\":1,\"a\":\"2026-11-25T10:15:00Z\",\"nan\":null,\"none\":null,\"list\":[true,2,0.5]}");
  }

  @Test
  void malformedJsonIsRefusedWithTheParsersReason() {
    assertThatThrownBy(
            () -> JsonText.parse("{\"a\": /* no comments */ 1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not JSON: ");
  }
}
