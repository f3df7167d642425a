package offhours.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.stack.StackSpec;

/**
 * The API's routes ({@link StackSpec#API_ROUTES}, which template.yaml declares) matched against a request path the
 * way API Gateway matches them: a literal path, or a template whose last segment is a greedy {@code {name+}} taking
 * the rest of the path, slashes included. Path parameters are percent-decoded (UTF-8); '+' is a plus sign in a path.
 */
public final class ApiRoutes {

  /** A matched route: its route key ("GET /results/{key+}") and decoded path parameters. */
  public record Match(String routeKey, Map<String, String> pathParameters) {}

  private ApiRoutes() {}

  /**
   * The route for {@code method} and the raw (still percent-encoded) {@code rawPath}; empty when no route matches,
   * as API Gateway answers 404 then. A malformed percent escape throws {@link IllegalArgumentException}.
   */
  public static Optional<Match> match(String method, String rawPath) {
    for (String routeKey : StackSpec.API_ROUTES) {
      String[] parts = routeKey.split(" ", 2);
      if (!parts[0].equals(method)) {
        continue;
      }
      String template = parts[1];
      int brace = template.indexOf('{');
      if (brace < 0) {
        if (template.equals(rawPath)) {
          return Optional.of(new Match(routeKey, Map.of()));
        }
        continue;
      }
      String prefix = template.substring(0, brace);
      String name =
          template.substring(brace + 1, template.length() - (template.endsWith("+}") ? 2 : 1));
      if (rawPath.startsWith(prefix) && rawPath.length() > prefix.length()) {
        return Optional.of(
            new Match(routeKey, Map.of(name, decodePath(rawPath.substring(prefix.length())))));
      }
    }
    return Optional.empty();
  }

  /** Every route, for the message of a 404. */
  public static List<String> all() {
    return StackSpec.API_ROUTES;
  }

  /** RFC 3986 percent-decoding of a path (UTF-8); '+' stays '+'. */
  static String decodePath(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()
            || Character.digit(raw.charAt(i + 1), 16) < 0
            || Character.digit(raw.charAt(i + 2), 16) < 0) {
          throw new IllegalArgumentException(
              "the path has a malformed percent escape at position " + i + "; encode '%' as %25");
        }
        bytes.write(
            Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
        i += 2;
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
          utf8 = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.writeBytes(utf8);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the path's percent escapes are not UTF-8");
    }
  }
}
