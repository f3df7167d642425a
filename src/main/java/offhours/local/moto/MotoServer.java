package offhours.local.moto;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import offhours.cache.CacheFiles;
import offhours.local.process.ProcessRecorder;

/**
 * moto's standalone server ({@code moto_server}) as a child process on 127.0.0.1 and a free port: the
 * local S3 (with notifications to SQS), SQS and DynamoDB.
 */
public final class MotoServer implements AutoCloseable {

  private static final String INSTALL_HINT = "install it with: pip install \"moto[server]\"";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /**
   * What moto_server prints once offhours' {@code sitecustomize.py} (a resource beside this class) has made its
   * DynamoDB answer one request at a time, as DynamoDB's conditional writes and transactions are atomic and moto's are
   * not (that file says how they fail). A moto_server that does not print it before it listens is refused.
   */
  static final String SERIALIZED = "offhours: DynamoDB requests are answered one at a time";

  private static final String SITE = "sitecustomize.py";

  private final Process process;
  private final URI endpoint;
  private final HttpClient http = HttpClient.newHttpClient();

  private MotoServer(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /** What the stack's state file and {@code local stop} call it. */
  public static final String NAME = "moto_server";

  /** Starts moto_server on a free port; its output goes to {@code log} (or is discarded when null). */
  public static MotoServer start(Path log) throws IOException {
    return start(log, ProcessRecorder.NONE);
  }

  /**
   * As {@link #start(Path)}, each moto_server process started and recorded by {@code recorder} in one step, before it
   * listens: a stack killed while moto_server starts leaves it running, and its state file names it then already; a
   * stack stopping while it starts ends it, or refuses to start it ({@link ProcessRecorder.StartRefused}, which is not
   * retried).
   */
  public static MotoServer start(Path log, ProcessRecorder recorder) throws IOException {
    Path executable = locate()
        .orElseThrow(() -> new IOException(
            "moto_server was not found on PATH or in ~/.pyenv/shims; " + INSTALL_HINT));
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      try {
        return launch(executable, port, log, recorder);
      } catch (ProcessRecorder.StartRefused | NotSerialized e) {
        // The stack is stopping, or this moto_server never will be: another port is no help.
        throw e;
      } catch (IOException e) {
        last = e; // another process may have taken the port between our probe and moto's bind
      }
    }
    throw last;
  }

  /** moto_server on PATH, else in pyenv's shims (where a pip install into pyenv puts it). */
  private static Optional<Path> locate() {
    List<Path> candidates = new ArrayList<>();
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir, "moto_server"));
      }
    }
    candidates.add(Path.of(System.getProperty("user.home"), ".pyenv", "shims", "moto_server"));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  /** What moto_server runs with, over the environment it inherits ({@code env}, changed in place). */
  static void environment(Map<String, String> env) {
    // moto reads these at start-up; keep it from looking for real credentials or Docker-backed
    // Lambda.
    env.putIfAbsent("AWS_ACCESS_KEY_ID", "offhours");
    env.putIfAbsent("AWS_SECRET_ACCESS_KEY", "offhours");
    env.putIfAbsent("AWS_DEFAULT_REGION", "us-east-1");
    // moto answers every origin with Access-Control-Allow-Origin by default, so any web page the
    // user opens could read and reset the local data; offhours' clients are not browsers and need
    // no CORS.
    env.put("MOTO_DISABLE_GLOBAL_CORS", "true");
    // moto dates an S3 notification's eventTime with its own wall clock and no zone (Python's
    // datetime.now()), which Classify reads as UTC, as S3 means it: under a user's TZ every
    // upload's time would be off by the zone's offset (a result's uploadedAt, the waits that
    // 'cost --compare' counts).
    env.put("TZ", "UTC");
  }

  private static MotoServer launch(Path executable, int port, Path log, ProcessRecorder recorder)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(
            executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
        .redirectErrorStream(true);
    environment(pb.environment());
    if (log != null) {
      CacheFiles.privateFile(log);
    }
    // Python imports the file as it starts, before moto listens: the directory (0700, this
    // start's own) is not needed once it does.
    Path site = Files.createTempDirectory("offhours-moto-");
    try {
      try (InputStream in = MotoServer.class.getResourceAsStream(SITE)) {
        Files.copy(Objects.requireNonNull(in, SITE), site.resolve(SITE));
      }
      pb.environment()
          .merge(
              "PYTHONPATH",
              site.toString(),
              (theirs, ours) -> ours + java.io.File.pathSeparator + theirs);
      return await(recorder.start(NAME, pb), port, log);
    } finally {
      Files.deleteIfExists(site.resolve(SITE));
      Files.deleteIfExists(site);
    }
  }

  /** {@code process} once it listens on {@code port}, having said {@link #SERIALIZED} first; else it is ended. */
  private static MotoServer await(Process process, int port, Path log) throws IOException {
    String banner = "Running on http://127.0.0.1:" + port;
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    Thread pump = new Thread(() -> pump(process, log, banner, ready), "moto_server-output");
    pump.setDaemon(true);
    pump.start();
    try {
      if (ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        return new MotoServer(process, URI.create("http://127.0.0.1:" + port));
      }
    } catch (TimeoutException e) {
      endForcibly(process);
      throw new IOException(
          "moto_server did not print '" + banner + "' within " + START_TIMEOUT.toSeconds() + " s");
    } catch (ExecutionException e) {
      endForcibly(process);
      throw new NotSerialized(e.getCause().getMessage() + "; see " + where(log));
    } catch (InterruptedException e) {
      endForcibly(process);
      Thread.currentThread().interrupt();
      throw new IOException("moto_server failed to start: interrupted", e);
    }
    endForcibly(process);
    throw new IOException("moto_server exited before listening on port " + port + " (exit code "
        + waitFor(process) + "); see " + where(log));
  }

  /** A moto_server that listens without {@link #SERIALIZED}. */
  static final class NotSerialized extends IOException {
    NotSerialized(String message) {
      super(message);
    }
  }

  private static String where(Path log) {
    return log == null ? "its output" : log.toString();
  }

  private static void pump(
      Process process, Path log, String banner, CompletableFuture<Boolean> ready) {
    try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        var out = log == null ? null : Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      boolean serialized = false;
      while ((line = in.readLine()) != null) {
        serialized |= line.equals(SERIALIZED);
        if (!ready.isDone() && line.contains(banner)) {
          if (serialized) {
            ready.complete(true);
          } else {
            ready.completeExceptionally(new NotSerialized("moto_server listens without offhours'"
                + " sitecustomize.py, which makes its DynamoDB answer one request at a time (its"
                + " conditional writes and transactions are not atomic otherwise): its Python did"
                + " not import it from PYTHONPATH (python -E or -I?), or this moto does not start"
                + " through werkzeug's run_simple; offhours is tested with moto 5.2.1"));
          }
        }
        if (out != null) {
          out.write(line);
          out.newLine();
          out.flush();
        }
      }
    } catch (IOException e) {
      // the process is gone; the start-up path reports it
    } finally {
      ready.complete(false);
    }
  }

  /**
   * Kills {@code process} and what it forked: behind pyenv's shim it is bash, then pyenv, then python (one process,
   * each exec'ing the next), and forks short-lived helpers on the way.
   */
  private static void endForcibly(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static int waitFor(Process p) {
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  public long pid() {
    return process.pid();
  }

  /** Its process, for the state file to record (a stack killed outright leaves it running). */
  public ProcessHandle process() {
    return process.toHandle();
  }

  /** Clears every resource in every service ({@code POST /moto-api/reset}). */
  public void reset() {
    try {
      HttpResponse<Void> response = http.send(
          HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
              .POST(HttpRequest.BodyPublishers.noBody())
              .build(),
          HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "moto_server answered " + response.statusCode() + " to /moto-api/reset");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "moto_server at " + endpoint + " did not answer /moto-api/reset", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while resetting moto_server", e);
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    http.close();
  }
}
