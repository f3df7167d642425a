package offhours.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How {@code local update} hands the running local stack a new model: a Unix domain socket, {@code local/control.sock}
 * in the cache directory, which only the user can reach ({@code local/} is 0700, as for the state file and its
 * credentials). A request is one {@link ModelUpdate} as JSON, the answer one JSON object: what the stack serves now,
 * or why it refused. The stack's process listens ({@link #open}); {@link #send} is the command line's side.
 */
public final class ControlSocket implements AutoCloseable {

  /** What the stack does with an update: gives it the new model, or throws why not. */
  @FunctionalInterface
  public interface Updates {
    /**
     * Applies {@code update}; returns the new model's and endpoint config's names.
     *
     * @throws IllegalArgumentException or IOException for an update refused, whose message says why
     * @throws Error as it was, after the answer, which says the words of an IOException suppressed in it
     */
    Map<String, String> apply(ModelUpdate update) throws IOException;
  }

  /** The stack's answer: the names of what it serves now, or why it refused. */
  public record UpdateAnswer(Map<String, String> served, String refused) {}

  /**
   * How long {@link #send} waits for the stack's answer. An update reads the model to check its labels (the default
   * model, 10 MB, in 0.9 s on a cold JVM), creates the Model and EndpointConfig and starts one environment of each
   * function (0.2 s together); no container starts before the controller's next run. A stack that has not answered
   * after many times that was stopped (Ctrl-Z) or hangs.
   */
  public static final Duration ANSWER_BOUND = Duration.ofSeconds(30);

  /** The stack took the request and did not answer within the bound: the update may still be applied. */
  public static final class NoAnswer extends IOException {
    private static final long serialVersionUID = 1L;

    private final Duration bound;

    public NoAnswer(Duration bound) {
      super("no answer within " + bound.toSeconds() + " s");
      this.bound = bound;
    }

    /** How long it waited. */
    public Duration bound() {
      return bound;
    }
  }

  /**
   * How long the stack waits for a request to arrive whole: {@link #send} writes it at once, in a few kB, so a client
   * that has sent nothing or part of one after this is gone or no {@code local update}, and no longer holds a thread.
   */
  static final Duration REQUEST_BOUND = Duration.ofSeconds(5);

  /** The largest request taken: paths, a command line and two media types. */
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How long {@link #close} waits for the updates being applied: about a second each, and well within the 30 s that
   * {@code local stop} gives the stack before it forces it. It bounds this socket's wait only: see {@link #close} for
   * an update that outlasts it.
   */
  static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private final Path path;
  private final ServerSocketChannel server;
  private final Thread acceptor;
  /** Guarded by itself: the updates being applied, whose answers are not written yet. */
  private final Object applying = new Object();

  private int inFlight;
  private boolean closing;

  /** How long this socket waits for a request to arrive whole: {@link #REQUEST_BOUND}, shorter in tests. */
  private final Duration requestBound;

  private ControlSocket(
      Path path, ServerSocketChannel server, Updates updates, Duration requestBound) {
    this.path = path;
    this.server = server;
    this.requestBound = requestBound;
    this.acceptor =
        Thread.ofPlatform().name("offhours-local-control").daemon().start(() -> serve(updates));
  }

  /** The socket's file name in {@code local/}, beside the state file. */
  public static final String FILE = "control.sock";

  /**
   * The longest path a Unix socket's address holds, in bytes: sun_path is 108 bytes on Linux and 104 on macOS and
   * the BSDs, each with its terminating zero.
   */
  static int maxPathBytes() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux") ? 107 : 103;
  }

  /**
   * Why no stack can listen on {@code path} whatever its version, when its path is too long for a Unix socket's
   * address (a deep cache folder): the stack ran without its control socket then.
   */
  public static Optional<String> tooLong(Path path) {
    int bytes = path.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length;
    return bytes > maxPathBytes()
        ? Optional.of("its path is " + bytes + " bytes, longer than the " + maxPathBytes()
            + " a Unix socket's may have")
        : Optional.empty();
  }

  /** {@code <cache>/local/control.sock}. */
  public static Path path(Path cacheDir) throws IOException {
    return LocalDirectory.of(cacheDir).resolve(FILE);
  }

  /**
   * Listens on {@code path} (a file left there by a stack that is gone is replaced) and answers with {@code
   * updates}.
   */
  public static ControlSocket open(Path path, Updates updates) throws IOException {
    return open(path, updates, REQUEST_BOUND);
  }

  /** As {@link #open(Path, Updates)}, waiting for a request to arrive whole at most {@code requestBound}. */
  static ControlSocket open(Path path, Updates updates, Duration requestBound) throws IOException {
    Files.deleteIfExists(path);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(path));
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return new ControlSocket(path, server, updates, requestBound);
  }

  /**
   * Sends {@code update} to the stack listening on {@code path} and returns its answer, waiting for it at most {@link
   * #ANSWER_BOUND}.
   *
   * @throws NoAnswer when the stack took the request and did not answer in time
   * @throws IOException when no stack listens there, or it ended before it answered
   */
  public static UpdateAnswer send(Path path, ModelUpdate update) throws IOException {
    return send(path, update, ANSWER_BOUND);
  }

  /** As {@link #send(Path, ModelUpdate)}, waiting for the answer at most {@code bound}. */
  static UpdateAnswer send(Path path, ModelUpdate update, Duration bound) throws IOException {
    Map<String, String> request = new LinkedHashMap<>();
    update.model().ifPresent(p -> request.put("model", p.toAbsolutePath().toString()));
    update.labels().ifPresent(p -> request.put("labels", p.toAbsolutePath().toString()));
    update.containerCommand().ifPresent(c -> request.put("containerCommand", c));
    request.putAll(update.modelSettings());
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(request)));
      channel.shutdownOutput();
      Map<String, Object> answer =
          JSON.readValue(readAll(channel, bound, () -> new NoAnswer(bound)), MAP);
      Object refused = answer.get("refused");
      if (refused != null) {
        return new UpdateAnswer(Map.of(), refused.toString());
      }
      Map<String, String> served = new LinkedHashMap<>();
      if (answer.get("served") instanceof Map<?, ?> names) {
        names.forEach((k, v) -> served.put(String.valueOf(k), String.valueOf(v)));
      }
      return new UpdateAnswer(served, null);
    }
  }

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private void serve(Updates updates) {
    while (true) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (ClosedChannelException e) {
        return; // closed: the stack stops
      } catch (IOException e) {
        continue; // this connection failed before it was taken; the next one is served
      }
      // Each connection on its own thread: a client that never ends its request holds only that
      // thread, for REQUEST_BOUND. The stack applies one update at a time all the same.
      Thread.ofVirtual()
          .name("offhours-local-control-request")
          .start(() -> answer(channel, updates));
    }
  }

  private void answer(SocketChannel connection, Updates updates) {
    boolean counted = false;
    Error error = null;
    try (SocketChannel channel = connection) {
      Map<String, Object> answer = new LinkedHashMap<>();
      try {
        ModelUpdate update = request(readAll(
            channel,
            requestBound,
            () -> new IOException(
                "the request did not arrive whole within " + said(requestBound) + ": 'local"
                    + " update' sends it at once, so the stack took nothing; send it again")));
        synchronized (applying) {
          if (closing) {
            throw new IOException(
                "the local stack is stopping, so it took no update: start it"
                    + " again with the new model ('scripts/offhours local start' with the same options)");
          }
          inFlight++;
          counted = true;
        }
        answer.put("served", updates.apply(update));
      } catch (IOException | IllegalArgumentException e) {
        answer.put("refused", e.getMessage());
      } catch (RuntimeException e) {
        // A call to the stack's own services failed: the update is not whole.
        answer.put("refused", "the local stack could not apply the update: " + e);
      } catch (Error e) {
        // Answered, then thrown on as it was once the connection is closed.
        error = e;
        answer.put("refused", refusal(e));
      }
      channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(answer)));
    } catch (IOException e) {
      // This connection failed (its client went away); the others are served.
    } finally {
      if (counted) {
        synchronized (applying) {
          inFlight--;
          applying.notifyAll();
        }
      }
    }
    if (error != null) {
      throw error;
    }
  }

  /**
   * What the answer says of an update that ended in {@code error}: the words of the update's own failure suppressed in
   * it (the step that failed and what its rollback left, see {@link Updates#apply}), else the Error's.
   */
  private static String refusal(Error error) {
    for (Throwable said : error.getSuppressed()) {
      if (said instanceof IOException) {
        return said.getMessage();
      }
    }
    return "the local stack failed while it applied the update: " + error;
  }

  private static ModelUpdate request(byte[] body) throws IOException {
    Map<String, Object> request = JSON.readValue(body, MAP);
    Map<String, String> settings = new LinkedHashMap<>();
    for (String setting : ModelUpdate.SETTINGS) {
      text(request, setting).ifPresent(v -> settings.put(setting, v));
    }
    return new ModelUpdate(
        text(request, "model").map(Path::of),
        text(request, "labels").map(Path::of),
        text(request, "containerCommand"),
        settings);
  }

  private static Optional<String> text(Map<String, Object> request, String key) {
    Object value = request.get(key);
    if (value != null && !(value instanceof String)) {
      throw new IllegalArgumentException("the request's " + key + " is no string");
    }
    return Optional.ofNullable((String) value);
  }

  /**
   * The channel's bytes until its end, at most {@link #MAX_REQUEST_BYTES}, the end awaited at most {@code bound}, else
   * {@code late}'s exception is thrown. The channel is left blocking, for the answer written after it.
   */
  private static byte[] readAll(
      SocketChannel channel, Duration bound, Supplier<? extends IOException> late)
      throws IOException {
    long deadline = System.nanoTime() + bound.toNanos();
    channel.configureBlocking(false);
    try {
      try (Selector selector = Selector.open()) {
        channel.register(selector, SelectionKey.OP_READ);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (true) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw late.get();
          }
          selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
          selector.selectedKeys().clear();
          int read = channel.read(buffer);
          if (read < 0) {
            return bytes.toByteArray();
          }
          keep(buffer, bytes);
        }
      }
    } finally {
      // Its key is gone with the selector (cancelled, deregistered by the selector's close).
      if (channel.isOpen()) {
        channel.configureBlocking(true);
      }
    }
  }

  /** Whole seconds as such ("5 s"), else milliseconds. */
  private static String said(Duration d) {
    return d.toMillisPart() == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** Moves what {@code buffer} holds to {@code bytes}, refusing more than {@link #MAX_REQUEST_BYTES} in all. */
  private static void keep(ByteBuffer buffer, ByteArrayOutputStream bytes) throws IOException {
    buffer.flip();
    bytes.write(buffer.array(), 0, buffer.limit());
    buffer.clear();
    if (bytes.size() > MAX_REQUEST_BYTES) {
      throw new IOException("a message of more than " + MAX_REQUEST_BYTES + " bytes");
    }
  }

  /**
   * Stops listening, refuses the updates whose requests are still arriving, waits for those being applied to be
   * answered, so that the stack stops after a whole update, its answer sent, or before it. Then removes the socket's
   * file. It returns within {@link #STOP_WAIT} whatever the updates do; an update still being applied then goes on,
   * and the stack's own close ({@code LocalDeployment.close}) waits for it, as it takes the lock an update holds: the
   * stack's services are not closed under a half-done update, whose rollback needs them. One that hangs past {@code
   * local stop}'s grace gets the stack forced, and {@code local stop} ends what it left running.
   */
  @Override
  public void close() throws IOException {
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    synchronized (applying) {
      closing = true;
    }
    server.close();
    try {
      // The acceptor ends at once, its socket closed; a second is the most it is given.
      acceptor.join(Duration.ofSeconds(1));
      synchronized (applying) {
        long left;
        while (inFlight > 0 && (left = deadline - System.nanoTime()) > 0) {
          applying.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(path);
  }
}
