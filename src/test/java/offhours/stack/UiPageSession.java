package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import javax.imageio.ImageIO;
import offhours.cli.Main;

/**
 * {@code offhours ui --stack NAME --json} run in-process on a free port, and its page's routes asked over HTTP as the
 * page's script asks them: the token in the X-Offhours-Token header, Host and Origin the page's own. Closing it
 * interrupts the command, which stops the page.
 */
final class UiPageSession implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One answer of the page: status, content type, body. */
  record Answer(int status, String contentType, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + text(), e);
      }
    }
  }

  private final Thread command;
  private final CompletableFuture<Integer> exit;
  private final ByteArrayOutputStream err;
  private final String origin;
  private final String token;
  private final HttpClient http = HttpClient.newHttpClient();

  private UiPageSession(
      Thread command,
      CompletableFuture<Integer> exit,
      ByteArrayOutputStream err,
      String origin,
      String token) {
    this.command = command;
    this.exit = exit;
    this.err = err;
    this.origin = origin;
    this.token = token;
  }

  /**
   * Starts {@code offhours ui --stack stack --json} on the Main {@code main} makes of an out and an err stream, and
   * reads the address it prints.
   */
  static UiPageSession start(BiFunction<PrintStream, PrintStream, Main> main, String stack) {
    CompletableFuture<String> printed = new CompletableFuture<>();
    OutputStream firstLine = new OutputStream() {
      private final ByteArrayOutputStream line = new ByteArrayOutputStream();

      @Override
      public void write(int b) {
        if (b == '\n') {
          printed.complete(line.toString(StandardCharsets.UTF_8));
        } else {
          line.write(b);
        }
      }
    };
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(firstLine, true, StandardCharsets.UTF_8);
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread command = Thread.ofPlatform().name("offhours-ui-under-test").start(() -> {
      try {
        exit.complete(main.apply(out, errStream).run("ui", "--stack", stack, "--json"));
      } catch (Throwable t) {
        exit.completeExceptionally(t);
      }
    });
    CompletableFuture.anyOf(printed, exit).join();
    if (!printed.isDone()) {
      throw new AssertionError("offhours ui ended (" + exit.join()
          + ") before it printed its address: " + err.toString(StandardCharsets.UTF_8));
    }
    URI url;
    try {
      url = URI.create(JSON.readTree(printed.join()).get("url").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String token = url.getQuery().substring("token=".length());
    return new UiPageSession(
        command, exit, err, url.getScheme() + "://" + url.getRawAuthority(), token);
  }

  /**
   * What a user does on the page of {@code stack}: every route its script asks, each filter, a page after the first,
   * the chart, an upload ({@code upload}: checked, then sent) and its thumbnail, the thumbnail of a result whose object is gone
   * ({@code gone}: a 404 saying so), and the three buttons, which fail on moto_server after their Invoke (the stack
   * there has no function {@code controller}). The stack must have two results at least.
   */
  void useEveryRoute(String stack, String bucket, String upload, String gone, String controller)
      throws IOException {
    assertThat(get("/api/status").json().get("stack").asText()).isEqualTo("stack " + stack);
    for (String[] filter : List.of(
        new String[0],
        new String[] {"label", "Neutral"},
        new String[] {"status", "REJECTED"},
        new String[] {"key", gone})) {
      Answer answer = get("/api/results", filter);
      assertThat(answer.status())
          .as("results %s: %s", List.of(filter), answer.text())
          .isEqualTo(200);
    }
    Answer first = get("/api/results", "limit", "1");
    assertThat(first.json().get("results")).as("the first page of one").hasSize(1);
    Answer second =
        get("/api/results", "limit", "1", "next", first.json().get("next").asText());
    assertThat(second.status()).as(second.text()).isEqualTo(200);
    assertThat(get("/api/ledger", "days", "7").status()).isEqualTo(200);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "png", png);
    Answer check = get("/api/upload/check", "key", upload, "bytes", Integer.toString(png.size()));
    assertThat(check.text())
        .as("the page's check before it sends a file")
        .isEqualTo("{\"refusal\":null}");
    Answer stored = post("/api/upload", png.toByteArray(), "key", upload);
    assertThat(stored.status()).as(stored.text()).isEqualTo(201);
    Answer thumb = get("/api/thumb", "key", upload);
    assertThat(thumb.status()).as(thumb.text()).isEqualTo(200);
    assertThat(thumb.contentType()).isEqualTo("image/jpeg");
    Answer none = get("/api/thumb", "key", gone);
    assertThat(none.status()).as(none.text()).isEqualTo(404);
    assertThat(none.json().get("message").asText())
        .isEqualTo("no object " + gone + " in " + bucket);
    for (String action : List.of("start", "stop", "auto")) {
      Answer button = post("/api/endpoint/" + action, new byte[0]);
      assertThat(button.status()).as(action).isEqualTo(502);
      assertThat(button.json().get("message").asText())
          .as(action)
          .isEqualTo("the stack answered with an error: function " + controller
              + " (ControllerFunctionName of stack " + stack
              + "), or its alias live, does not exist; check that --stack names"
              + " the stack you mean; a function deleted outside CloudFormation is not created again by an"
              + " update that changes nothing");
    }
  }

  /** GET {@code path} with {@code query} (name, value, ...), each value encoded as the page's script does. */
  Answer get(String path, String... query) {
    return send(HttpRequest.newBuilder(uri(path, query)).GET());
  }

  /** POST {@code body} to {@code path} with {@code query}, as the page's uploads and buttons do. */
  Answer post(String path, byte[] body, String... query) {
    return send(HttpRequest.newBuilder(uri(path, query))
        .header("Origin", origin)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private URI uri(String path, String... query) {
    StringBuilder uri = new StringBuilder(origin).append(path);
    for (int i = 0; i < query.length; i += 2) {
      uri.append(i == 0 ? '?' : '&')
          .append(query[i])
          .append('=')
          .append(URLEncoder.encode(query[i + 1], StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return URI.create(uri.toString());
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> response = http.send(
          request.header("X-Offhours-Token", token).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Interrupts the command: it must stop the page and end with 0. */
  @Override
  public void close() {
    command.interrupt();
    http.close();
    assertThat(exit.join())
        .as("offhours ui, interrupted: %s", err.toString(StandardCharsets.UTF_8))
        .isZero();
    try (HttpClient fresh = HttpClient.newHttpClient()) {
      fresh.send(
          HttpRequest.newBuilder(URI.create(origin + "/api/status")).build(),
          HttpResponse.BodyHandlers.discarding());
      throw new AssertionError("the page still answers after its command ended");
    } catch (ConnectException e) {
      // refused: nothing listens on the page's port any more
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("the page after its command ended: " + e, e);
    }
  }
}
