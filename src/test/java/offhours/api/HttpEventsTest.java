package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

class HttpEventsTest {

  private static byte[] fixture(String name) throws IOException {
    return Files.readAllBytes(Path.of("events", name));
  }

  @Test
  void readsApiGatewaysGetEventWithTheDecodedGreedyKey() throws IOException {
    ApiRequest request = HttpEvents.read(fixture("api-get-result.json"));

    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.routeKey()).isEqualTo("GET /results/{key+}");
    assertThat(request.pathParameters())
        .containsExactly(Map.entry("key", "holiday photos/café au lait.png"));
    assertThat(request.header("Host"))
        .isEqualTo("a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com");
    assertThat(request.requestId()).isEqualTo("P3xQ4j1sFiAEJ3w=");
    assertThat(request.body()).isEmpty();
  }

  @Test
  void readsTheExactKeyOfTheObjectParameterDecodedOnce() throws IOException {
    ApiRequest request = HttpEvents.read(fixture("api-get-result-by-object.json"));

    assertThat(request.routeKey()).isEqualTo("GET /results");
    assertThat(request.pathParameters()).isEmpty();
    assertThat(request.query())
        .containsExactly(Map.entry("object", "holiday photos/café au lait + 100%.png"));
  }

  @Test
  void aRepeatedParameterWhichApiGatewayJoinsWithACommaIsRefusedNotReadAsAnotherKey()
      throws IOException {
    byte[] event = fixture("api-get-result-repeated-object.json");
    assertThat(new String(event, StandardCharsets.UTF_8))
        .as("API Gateway's own reading: the two keys joined into a third")
        .contains("\"object\": \"photos/a.png,photos/b.png\"");

    assertThatThrownBy(() -> HttpEvents.read(event))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the query names 'object' more than once; give each parameter once (a value may"
            + " hold commas: URL-encode it as %2C or leave it as it is)");
  }

  @Test
  void aLabelWithACommaGivenOnceIsReadWholeFromTheRawQueryString() throws IOException {
    String event = new String(fixture("api-get-result-by-object.json"), StandardCharsets.UTF_8)
        .replace(
            "object=holiday%20photos%2Fcaf%C3%A9%20au%20lait%20%2B%20100%25.png",
            "label=tabby%2C+tabby+cat&key=a+b%2Bc%2541")
        .replace(
            "\"object\": \"holiday photos/café au lait + 100%.png\"",
            "\"label\": \"tabby, tabby cat\", \"key\": \"a b+c%41\"");

    ApiRequest request = HttpEvents.read(event.getBytes(StandardCharsets.UTF_8));

    assertThat(request.query())
        .as("decoded once, '+' a space as API Gateway reads it, %2B a plus, %25 a percent sign")
        .containsOnly(Map.entry("label", "tabby, tabby cat"), Map.entry("key", "a b+c%41"));
  }

  @Test
  void aQueryEscapeThatIsNotUtf8IsRefusedRatherThanGuessed() throws IOException {
    String event = new String(fixture("api-get-result-by-object.json"), StandardCharsets.UTF_8)
        .replace("%C3%A9", "%E9");

    assertThatThrownBy(() -> HttpEvents.read(event.getBytes(StandardCharsets.UTF_8)))
        .hasMessage("the query's object has percent escapes that are not UTF-8: 0xE9 is cut short:"
            + " 0xE9 starts a character of 3 bytes");
  }

  @Test
  void aBase64BodyIsDecodedToTheImagesBytes() throws IOException {
    ApiRequest request = HttpEvents.read(fixture("api-post-classify.json"));

    assertThat(request.routeKey()).isEqualTo("POST /classify");
    assertThat(request.body()).hasSize(70).startsWith(0x89, 'P', 'N', 'G');
  }

  @Test
  void aDefaultRouteIsMatchedHereAsApiGatewayWouldHaveWithoutDecodingTheDecodedPathAgain()
      throws IOException {
    String fixture = new String(fixture("api-get-result.json"), StandardCharsets.UTF_8);
    String event = fixture
        .replace(
            "\"routeKey\": \"GET /results/{key+}\",\n  \"rawPath\"",
            "\"routeKey\": \"$default\",\n  \"rawPath\"")
        .replace(
            "\"pathParameters\": {\n    \"key\": \"holiday photos/café au lait.png\"\n  },", "");
    assertThat(event)
        .as("the fixture changed")
        .doesNotContain("GET /results/{key+}\",\n  \"rawPath")
        .doesNotContain("pathParameters");

    ApiRequest request = HttpEvents.read(event.getBytes(StandardCharsets.UTF_8));

    assertThat(request.routeKey()).isEqualTo("GET /results/{key+}");
    assertThat(request.pathParameters())
        .containsExactly(Map.entry("key", "holiday photos/café au lait.png"));

    // rawPath is what an HTTP API decoded: a '%' left in it is the key's own character.
    ApiRequest literal = HttpEvents.read(event
        .replace("/results/holiday photos/café au lait.png", "/results/literal%41+%25.png")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(literal.pathParameters()).containsExactly(Map.entry("key", "literal%41+%25.png"));
  }

  /**
   * As an HTTP API writes them (payload format 2.0): a Cookie header's cookies are the event's {@code cookies}, one
   * element each, and {@code headers} has no {@code cookie}; the event of a request without one has no
   * {@code cookies}. Before, the local front left the header in {@code headers}.
   */
  @Test
  void aCookieHeadersCookiesAreTheEventsCookiesNotAHeader() {
    Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
    headers.put("Host", List.of("127.0.0.1:8080"));
    headers.put("Cookie", List.of("session=abc123; theme=dark;", "lang=de"));
    JsonNode root = JsonText.parse(HttpEvents.request(
        "GET",
        "/status",
        "",
        headers,
        new byte[0],
        "req-1",
        Instant.parse("2026-11-25T10:15:01Z"),
        "127.0.0.1"));

    assertThat(root.asObject().get("cookies").asArray())
        .extracting(JsonNode::asString)
        .containsExactly("session=abc123", "theme=dark", "lang=de");
    assertThat(root.asObject().get("headers").asObject()).containsOnlyKeys("host");

    JsonNode none = JsonText.parse(HttpEvents.request(
        "GET",
        "/status",
        "",
        Map.of("Host", List.of("127.0.0.1:8080")),
        new byte[0],
        "req-1",
        Instant.parse("2026-11-25T10:15:01Z"),
        "127.0.0.1"));
    assertThat(none.asObject()).doesNotContainKey("cookies");
  }

  @Test
  void anEventOfAnotherFormatIsRefused() {
    assertThatThrownBy(
            () -> HttpEvents.read("{\"httpMethod\":\"GET\",\"path\":\"/status\"}".getBytes()))
        .hasMessage("not an API Gateway payload format 2.0 event (\"version\": \"2.0\")");
  }

  @Test
  void aLongRepeatedNameIsQuotedByItsStart() {
    String name = "n".repeat(500);
    byte[] event = HttpEvents.request(
        "GET",
        "/results",
        name + "=1&" + name + "=2",
        Map.of("Host", List.of("127.0.0.1:8080")),
        new byte[0],
        "req-1",
        Instant.parse("2026-11-25T10:15:01Z"),
        "127.0.0.1");

    assertThatThrownBy(() -> HttpEvents.read(event))
        .hasMessageStartingWith(
            "the query names '" + "n".repeat(60) + "... (500 characters)' more than once");
  }

  @Test
  void theLocalFrontsEventReadsBackAsTheSameRequest() {
    byte[] png = Base64.getDecoder()
        .decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    byte[] event = HttpEvents.request(
        "POST",
        "/classify",
        "a=1&a=2&label=caf%C3%A9+noir%2C+cr%C3%A8me",
        Map.of("Host", List.of("127.0.0.1:8080"), "Content-Type", List.of("image/png")),
        png,
        "req-1",
        Instant.parse("2026-11-25T10:15:01Z"),
        "127.0.0.1");

    JsonNode root = JsonText.parse(event);
    assertThat(root.asObject().get("isBase64Encoded").asBoolean()).isTrue();
    assertThat(JsonText.string(root.asObject().get("requestContext"), "time"))
        .isEqualTo("25/Nov/2026:10:15:01 +0000");
    assertThat(root.asObject().get("rawQueryString").asString())
        .isEqualTo("a=1&a=2&label=caf%C3%A9+noir%2C+cr%C3%A8me");
    JsonNode parameters = root.asObject().get("queryStringParameters");
    assertThat(List.of(JsonText.string(parameters, "a"), JsonText.string(parameters, "label")))
        .as("decoded, a repeated name's values joined with commas, as API Gateway does")
        .containsExactly("1,2", "café noir, crème");
    assertThatThrownBy(() -> HttpEvents.read(event))
        .hasMessageStartingWith("the query names 'a' more than once");

    byte[] once = HttpEvents.request(
        "POST",
        "/classify",
        "label=caf%C3%A9+noir%2C+cr%C3%A8me",
        Map.of("Host", List.of("127.0.0.1:8080"), "Content-Type", List.of("image/png")),
        png,
        "req-1",
        Instant.parse("2026-11-25T10:15:01Z"),
        "127.0.0.1");
    ApiRequest request = HttpEvents.read(once);
    assertThat(request.routeKey()).isEqualTo("POST /classify");
    assertThat(request.body()).isEqualTo(png);
    assertThat(request.query()).containsOnly(Map.entry("label", "café noir, crème"));
    assertThat(request.header("host")).isEqualTo("127.0.0.1:8080");
  }

  /**
   * What a live HTTP API hands over as text (ministack's check, see HttpEvents#isText): text/*, JSON, XML and
   * JavaScript alone; a form (curl's --data-binary without -H Content-Type), no type, and anything else is
   * base64-encoded, so the image's bytes arrive whole.
   */
  @Test
  void theLocalFrontHandsOverAsTextOnlyTheTypesAnHttpApiDoes() {
    byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, (byte) 0x80};
    for (String type : List.of(
        "application/x-www-form-urlencoded",
        "application/octet-stream",
        "image/jpeg",
        "application/ld+json",
        "multipart/form-data; boundary=x")) {
      byte[] event = postWith(type, jpeg);

      assertThat(JsonText.parse(event).asObject().get("isBase64Encoded").asBoolean())
          .as(type)
          .isTrue();
      assertThat(HttpEvents.read(event).body()).as(type).isEqualTo(jpeg);
    }
    for (String type : List.of(
        "text/plain",
        "Text/HTML; charset=utf-8",
        "application/json",
        "application/xml",
        "application/javascript")) {
      assertThat(JsonText.parse(postWith(type, "{}".getBytes(StandardCharsets.UTF_8)))
              .asObject()
              .get("isBase64Encoded")
              .asBoolean())
          .as(type)
          .isFalse();
    }
  }

  private static byte[] postWith(String contentType, byte[] body) {
    return HttpEvents.request(
        "POST",
        "/classify",
        null,
        Map.of("Host", List.of("127.0.0.1:8080"), "Content-Type", List.of(contentType)),
        body,
        "req-1",
        Instant.parse("2026-11-25T10:15:01Z"),
        "127.0.0.1");
  }

  /** AWS's format 2.0 page: valid JSON without a statusCode is a 200 whose JSON body is that answer. */
  @Test
  void anAnswerWithoutAStatusCodeIsReadAsAnHttpApiInfersIt() {
    HttpEvents.Reply object =
        HttpEvents.response("{\"message\":\"hi\"}".getBytes(StandardCharsets.UTF_8));
    HttpEvents.Reply string = HttpEvents.response("\"Hello\"".getBytes(StandardCharsets.UTF_8));

    assertThat(object.status()).isEqualTo(200);
    assertThat(object.headers()).containsExactly(Map.entry("content-type", "application/json"));
    assertThat(new String(object.body(), StandardCharsets.UTF_8)).isEqualTo("{\"message\":\"hi\"}");
    assertThat(string.status()).isEqualTo(200);
    assertThat(new String(string.body(), StandardCharsets.UTF_8)).isEqualTo("Hello");
    assertThatThrownBy(() -> HttpEvents.response("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aResponseIsWrittenInFormatTwoAndReadBack() {
    byte[] event = HttpEvents.write(ApiResponse.error(413, "too <big>"));

    HttpEvents.Reply reply = HttpEvents.response(event);

    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.headers())
        .containsEntry("content-type", "application/json; charset=utf-8")
        .containsEntry("x-content-type-options", "nosniff");
    assertThat(new String(reply.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"message\":\"too \\u003cbig\\u003e\"}");
  }
}
