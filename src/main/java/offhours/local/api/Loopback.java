package offhours.local.api;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import offhours.units.Shown;

/**
 * An HTTP server for one user's machine: it listens on 127.0.0.1 only, answers only requests that name it in their
 * Host (a DNS-rebound page names another host) and name no host in their request line ({@link #targetRefusal}), and
 * checks a random token in constant time. The local API front and the page of {@code offhours ui} are built on it;
 * the model container and the local SageMaker and Lambda use its checks.
 *
 * <p>The JDK's server answers some requests itself, before any hook of {@code com.sun.net.httpserver} (a Filter, the
 * handler) runs: it parses the request line's target with {@code new java.net.URI(target)} and answers a
 * {@code URISyntaxException} with its HTML 400 "URISyntaxException thrown" (in the path or the query: a '%' not
 * followed by two hex digits, {@code ?key=%zz}; a character URI does not take unescaped, {@code " < > \ ^ ` { | }} or
 * a second '#'; a control or space character, which includes raw UTF-8 whose bytes, read one char each, fall in
 * 0x80-0xA0, 'à' or '€'; {@code //}); a target whose path is no context's ({@code *}, {@code //status},
 * {@code results}, {@code http://host}) with its HTML 404 "No context found for request"; and one that URI parses as
 * opaque ({@code mailto:x}, {@code localhost:80}) with no answer at all, the connection closed. So clients reach a
 * {@link TargetGate} in front of it, which reads each connection's request line and turns such a target into a
 * request for a path only this server knows: the server's {@link Unplaced} answer, in its own JSON, gets it as sent
 * ({@link UnplacedTarget}). For that the server closes each connection after its answer ({@code Connection: close}).
 * A target that names a host before its path ({@code http://host/path}, {@code //host/path}) parses, and reaches the
 * handler with that path: each server refuses it itself ({@link #targetRefusal}). Everything URI parses reaches the
 * handler with its raw path and query as sent: a well-formed escape of any byte ({@code %00}, {@code %0A},
 * {@code %FF}), which offhours' own decoding ({@link offhours.api.UrlDecoding}, the page's Requests) answers with its
 * JSON error where it refuses it, and raw non-ASCII URI takes ('é' as UTF-8), which arrives as its bytes read as
 * ISO-8859-1 ("Ã©"), and which both servers read back as the UTF-8 text it is ({@link RequestTarget}, JSON 400 for
 * bytes that are not UTF-8); a '#' and what follows it is dropped. LoopbackTest pins this. A request line the JDK's
 * server cannot split (no two spaces), a header it refuses or a length it cannot read still get its HTML 400, and one
 * longer than the gate reads (64 KiB, blank lines before it included) the gate's own 414, in the servers' JSON.
 */
public final class Loopback implements AutoCloseable {

  /** The JDK server's property for how long a client may take to send a request, head and body, in seconds. */
  private static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime";
  /** How long a client of a local server may take to send its request before the server closes the connection. */
  private static final int REQUEST_SECONDS = 30;

  private final HttpServer server;
  private final ExecutorService threads;
  private final String threadName;
  private final String unplacedPath = "/.unplaced-" + randomToken(16);
  private final TargetGate gate;
  /** Whether {@link #start} was called (or {@link #close}, which starts a server never started to stop it). */
  private boolean started;
  /** Whether {@link #close} was called: a closed server is not started again, whether it had started or not. */
  private boolean closed;

  private Loopback(int port, int threadCount, String threadName) throws IOException {
    this.threadName = threadName;
    this.threads = Executors.newFixedThreadPool(threadCount, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    limitRequestTime();
    // The JDK's server listens on a port of its own, behind the gate, which clients reach.
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    try {
      this.gate =
          TargetGate.bind(port, server.getAddress().getPort(), unplacedPath, REQUEST_SECONDS);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * A server bound to 127.0.0.1:{@code port} (0: a free port), to answer with {@code threadCount} threads, which serves
   * nothing until {@link #start}: a client that comes before waits. A server whose handler reads the server (its port,
   * {@link #isThisServer}) builds that handler whole between the two, so that no request meets it half made.
   */
  public static Loopback bind(int port, int threadCount, String threadName) throws IOException {
    return new Loopback(port, threadCount, threadName);
  }

  /**
   * Starts serving {@code handler}; a request whose target the JDK's server would answer itself (with an HTML page) or
   * not at all is answered by {@code unplaced}. Once only: everything the two read is to be set before.
   */
  public synchronized void start(HttpHandler handler, Unplaced unplaced) {
    if (closed) {
      throw new IllegalStateException(
          "this server on port " + port() + " was closed; bind a new one to serve again");
    }
    if (started) {
      throw new IllegalStateException("this server on port " + port() + " was started already");
    }
    started = true;
    server.createContext("/", exchange -> {
      // One request a connection: the gate reads each connection's first request line only.
      exchange.getResponseHeaders().set("Connection", "close");
      String query = exchange.getRequestURI().getRawQuery();
      if (exchange.getRequestURI().getRawPath().equals(unplacedPath) && query != null) {
        try (exchange) {
          unplaced.answer(exchange, UnplacedTarget.of(TargetGate.sentTarget(query)));
        }
        return;
      }
      handler.handle(exchange);
    });
    server.start();
    gate.accept(threadName);
  }

  /**
   * How a server built on a bound Loopback starts it once it is whole: {@link #start}, which a test's may follow with a
   * request before the server's constructor returns.
   */
  @FunctionalInterface
  public interface Startup {
    /** Starts {@code bound} serving {@code handler} and {@code unplaced}. */
    void start(Loopback bound, HttpHandler handler, Unplaced unplaced) throws IOException;
  }

  /** How a server answers a request whose target is no path the JDK's server can route ({@link UnplacedTarget}). */
  @FunctionalInterface
  public interface Unplaced {
    /** Answers {@code exchange} (Host, Origin and body as sent; its URI not the client's) for {@code target}. */
    void answer(HttpExchange exchange, UnplacedTarget target) throws IOException;
  }

  /**
   * A request's target that the JDK's server would not hand to a handler, as sent (one char a byte): one that
   * {@code java.net.URI} cannot parse ({@link #refusal} says why, in words for the client) or whose path is not one
   * that starts with '/' ({@link #uri} is its parse: {@code *}, {@code //status}, {@code results}, {@code mailto:x},
   * {@code http://host}).
   *
   * @param target the target as sent
   * @param uri its parse, or null when it is no URI
   * @param refusal why it is no URI, or null when it is one
   */
  public record UnplacedTarget(String target, URI uri, String refusal) {

    static UnplacedTarget of(String target) {
      try {
        return new UnplacedTarget(target, new URI(target), null);
      } catch (URISyntaxException e) {
        return new UnplacedTarget(
            target,
            null,
            "the request's target is no URI (" + e.getReason() + " at index " + e.getIndex()
                + ": '" + Shown.value(target) + "'); percent-encode in it a '%' that starts no"
                + " escape, a space, a control character, any of \" < > \\ ^ ` { | } and raw"
                + " UTF-8 such as 'à' or '€'");
      }
    }

    /** Whether the target names a scheme ({@code http://host}, {@code mailto:x}), which {@link #targetRefusal} says. */
    public boolean namesScheme() {
      return uri != null && uri.getScheme() != null;
    }
  }

  /**
   * Gives every client of the JDK's HTTP server in this JVM {@link #REQUEST_SECONDS} to send its request (unless the
   * property is set already): by default a client may take forever, and a few that send a byte now and then hold all
   * of a server's fixed threads. Call before creating the first HttpServer: the JDK reads the property once. The
   * time to answer is not limited (a model load or a controller run may take minutes).
   */
  public static void limitRequestTime() {
    if (System.getProperty(MAX_REQUEST_TIME) == null) {
      System.setProperty(MAX_REQUEST_TIME, String.valueOf(REQUEST_SECONDS));
    }
  }

  /** {@code bytes} random bytes from SecureRandom, in hex. */
  public static String randomToken(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  public int port() {
    return gate.port();
  }

  /** "http://127.0.0.1:PORT". */
  public String origin() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * The request's {@code name} header (Host, Origin) as the checks of local mode's servers read it: its one value, null
   * when it has none, and several joined with ", ", which names no server and no page, so the check refuses them. A
   * request with two Host headers is malformed (RFC 9112, section 3.2: a server answers it 400); read by its first, a
   * request naming 127.0.0.1:PORT and then another host would pass here, and the JDK's server does not refuse it.
   */
  public static String header(Headers headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : String.join(", ", values);
  }

  /**
   * Why a request whose target is {@code target} (as the JDK's server parsed it) is refused, or null: a target that
   * names a scheme or a host, in absolute form ({@code GET http://evil.example/api/status}) or as
   * {@code //evil.example/api/status}. RFC 9112 (section 3.2.2) makes the host an absolute-form target names the one
   * the request is for, in place of its Host header, so a check of Host alone would answer a request for another host.
   * Local mode's servers refuse every such target, their own host's too: their clients (the SDKs, curl, browsers)
   * send a path alone (origin form). Each server calls this where it checks Host and answers in its own error shape;
   * the JDK's server, which routes such a request by its path, refuses none of them itself.
   */
  public static String targetRefusal(URI target) {
    if (target.getScheme() == null && target.getRawAuthority() == null) {
      return null;
    }
    String named = (target.getScheme() == null ? "" : target.getScheme() + ":")
        + (target.getRawAuthority() == null ? "" : "//" + target.getRawAuthority());
    return "the request's target names a scheme or host ('" + Shown.value(named)
        + "'), which RFC 9112"
        + " makes the request's host in place of its Host header; send the path alone ('"
        + Shown.value(Objects.requireNonNullElse(target.getRawPath(), "")) + "')";
  }

  /** Whether {@code host} (a Host header) names this server: 127.0.0.1:PORT or localhost:PORT. */
  public boolean isThisServer(String host) {
    return host != null
        && (host.equals("127.0.0.1:" + port()) || host.equals("localhost:" + port()));
  }

  /** Whether {@code origin} (an Origin header) is a page of this server. */
  public boolean isOwnOrigin(String origin) {
    return origin != null
        && (origin.equals(origin()) || origin.equals("http://localhost:" + port()));
  }

  /** Compares {@code given} with {@code token} in constant time; null is never a match. */
  public static boolean sameToken(String given, String token) {
    return given != null
        && MessageDigest.isEqual(
            given.getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public void close() {
    if (gate != null) {
      gate.close();
    }
    synchronized (this) {
      closed = true;
      if (!started) {
        started = true;
        // The JDK's server closes its listening socket on its dispatcher thread: one stopped
        // without ever starting keeps its port bound.
        server.start();
      }
    }
    server.stop(0);
    threads.shutdownNow();
  }
}
