package offhours.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.stack.StackSpec;

/**
 * The API's routes ({@link StackSpec#API_ROUTES}, which template.yaml declares) matched against a request path the
 * way API Gateway matches them: a literal path, or a template whose last segment is a greedy {@code {name+}} taking
 * the rest of the path, slashes included.
 *
 * <p>The path is the one an HTTP API puts in the event's {@code rawPath}: already percent-decoded (despite the name),
 * so it is not decoded here again; a second decoding would turn a key's literal "%41" into "A".
 */
public final class ApiRoutes {

  /** A matched route: its route key ("GET /results/{key+}") and its path parameters. */
  public record Match(String routeKey, Map<String, String> pathParameters) {}

  private ApiRoutes() {}

  /**
   * The route for {@code method} and {@code path} (as API Gateway delivers it: decoded); empty when no route
   * matches, as API Gateway answers 404 then.
   */
  public static Optional<Match> match(String method, String path) {
    for (String routeKey : StackSpec.API_ROUTES) {
      String[] parts = routeKey.split(" ", 2);
      if (!parts[0].equals(method)) {
        continue;
      }
      String template = parts[1];
      int brace = template.indexOf('{');
      if (brace < 0) {
        if (template.equals(path)) {
          return Optional.of(new Match(routeKey, Map.of()));
        }
        continue;
      }
      String prefix = template.substring(0, brace);
      String name =
          template.substring(brace + 1, template.length() - (template.endsWith("+}") ? 2 : 1));
      if (path.startsWith(prefix) && path.length() > prefix.length()) {
        return Optional.of(new Match(routeKey, Map.of(name, path.substring(prefix.length()))));
      }
    }
    return Optional.empty();
  }

  /** Every route, for the message of a 404. */
  public static List<String> all() {
    return StackSpec.API_ROUTES;
  }
}
