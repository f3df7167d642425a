package offhours.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import offhours.stack.StackSpec;
import offhours.units.Shown;

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

  /** The one route that reads query parameters: it checks them itself ({@code ResultsRoute}). */
  private static final String READS_QUERY = "GET /results";

  /**
   * Why a request to {@code routeKey} names query parameters ({@code names}) the route does not read, or null. Every
   * route but GET /results reads none (GET /results refuses those it does not know itself). Ignored, one would be
   * answered as if it were not there: {@code GET /results/a.png?label=cat} as if it filtered, {@code GET
   * /status?object=a.png} as if it named the object, as a misspelt filter of GET /results would list every result.
   */
  public static String unread(String routeKey, Set<String> names) {
    if (names.isEmpty() || routeKey.equals(READS_QUERY) || !all().contains(routeKey)) {
      return null;
    }
    return routeKey + " takes no query parameters; it does not know "
        + String.join(
            ", ", names.stream().sorted().map(n -> "'" + Shown.value(n) + "'").toList())
        + (routeKey.startsWith(READS_QUERY)
            ? "; object= and the listing's filters go to GET /results"
            : "");
  }

  /** Every route, for the message of a 404. */
  public static List<String> all() {
    return StackSpec.API_ROUTES;
  }
}
