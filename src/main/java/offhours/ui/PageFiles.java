package offhours.ui;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The files of the page of {@code offhours ui}, served from the jar by {@link UiServer}: the page itself at {@code /}
 * and {@code /index.html}, and its assets under {@code /assets/}. They hold no data, so they load without the page's
 * token; only these names are served, never a path a request builds.
 */
public final class PageFiles {

  /**
   * The page's script, served under /assets/: ES modules, {@code app.js} the entry that index.html loads. Every module
   * the page imports is named here, and tests that read the script read each of these.
   */
  public static final List<String> SCRIPTS =
      List.of("app.js", "shared.js", "endpoint.js", "results.js", "uploads.js", "ledger.js");

  /** What the page loads, with its type. */
  private static final Map<String, String> ASSETS = assets();

  private static final Set<String> PAGE = Set.of("/", "/index.html");

  private static final String HTML = "text/html; charset=utf-8";

  /** A file as served: its Content-Type and its bytes. */
  record File(String contentType, byte[] bytes) {}

  private PageFiles() {}

  private static Map<String, String> assets() {
    Map<String, String> assets = new HashMap<>();
    SCRIPTS.forEach(name -> assets.put("/assets/" + name, "text/javascript; charset=utf-8"));
    assets.put("/assets/app.css", "text/css; charset=utf-8");
    assets.put("/assets/icon.svg", "image/svg+xml");
    return Map.copyOf(assets);
  }

  /** Whether {@code path} is one of the page's assets, read with GET only. */
  static boolean isAsset(String path) {
    return ASSETS.containsKey(path);
  }

  /** Whether {@code path} is the page or one of its assets: the same files for everyone, no token asked. */
  static boolean isPublic(String path) {
    return ASSETS.containsKey(path) || PAGE.contains(path);
  }

  /** The asset at {@code path} ("/assets/app.js"), or the page ("/index.html"); empty when the jar lacks it. */
  static Optional<File> read(String path) throws IOException {
    String file = path.startsWith("/assets/") ? path.substring("/assets".length()) : path;
    try (InputStream in = PageFiles.class.getResourceAsStream("/offhours/ui" + file)) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(new File(ASSETS.getOrDefault(path, HTML), in.readAllBytes()));
    }
  }
}
