package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import offhours.testing.AwsServicesExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code offhours ui} on a local stack on moto_server (started by {@link AwsServicesExtension}) refuses uploads by the
 * stack's own limit: hosted serverless (its state file's HOSTING, as {@code local start --hosting serverless} records
 * it) a 5 MB upload, which the other hostings' 6 MB would take, is refused by the serverless endpoint's 4 MiB and one
 * of exactly 4 MiB is stored; where the state file does not record the hosting, InvokeEndpoint's limit is taken, and
 * the command and each refusal say so.
 */
class UiUploadLimitIT extends OnMotoStack {

  private final HttpClient http = HttpClient.newHttpClient();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private Thread ui;
  private URI url;
  private String token;

  @Test
  void thePageOfAServerlessStackRefusesAFiveMegabyteUploadByItsLimit() throws Exception {
    withSettings(Map.of("HOSTING", "serverless"));
    startUi();

    HttpResponse<String> five = upload("five.png", new byte[5_000_000]);
    assertThat(five.statusCode()).as(five.body()).isEqualTo(413);
    assertThat(message(five))
        .isEqualTo("five.png is 5.0 MB; the endpoint accepts at most 4.2 MB: resize or re-encode"
            + " it under that size and upload it again");
    JsonNode upload = Json.MAPPER.readTree(get("/api/status").body()).get("upload");
    assertThat(upload.toString())
        .as("what the page refuses a file by before sending it: the stack's limit, not assumed")
        .isEqualTo("{\"maxBytes\":4194304}");
    assertThat(Json.MAPPER
            .readTree(get("/api/upload/check?key=five.png&bytes=5000000").body())
            .get("refusal")
            .asText())
        .as("the words the page shows without sending the file")
        .isEqualTo(message(five));
    HttpResponse<String> four = upload("four.png", new byte[4_194_304]);
    assertThat(four.statusCode()).as(four.body()).isEqualTo(201);

    assertThat(moto.s3.listObjectsV2(r -> r.bucket(moto.bucket)).contents())
        .extracting(o -> o.key() + " " + o.size())
        .containsExactly("four.png 4194304");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .as("the limit is the stack's own: no note of an assumed one")
        .doesNotContain("note: ");
  }

  @Test
  void aStackFromBeforeTheHostingSettingGetsInvokeEndpointsLimit() throws Exception {
    startUi();

    HttpResponse<String> seven = upload("seven.png", new byte[6_800_000]);
    assertThat(seven.statusCode()).as(seven.body()).isEqualTo(413);
    assertThat(message(seven))
        .isEqualTo("seven.png is 6.8 MB; the endpoint accepts at most 6.3 MB: resize or re-encode"
            + " it under that size and upload it again");
    assertThat(Json.MAPPER.readTree(get("/api/status").body()).get("upload").toString())
        .isEqualTo("{\"maxBytes\":6291456}");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .as("older than serverless hosting: nothing assumed, no note")
        .isEmpty();
  }

  @AfterEach
  void stopUi() throws InterruptedException {
    if (ui != null) {
      ui.interrupt();
      ui.join(TimeUnit.SECONDS.toMillis(30));
    }
  }

  /** Runs {@code ui --json} in-process on a free port and reads the address it prints. */
  private void startUi() throws Exception {
    CompletableFuture<String> firstLine = new CompletableFuture<>();
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    PrintStream out = new PrintStream(lineCatcher(firstLine), true, StandardCharsets.UTF_8);
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    ui = Thread.ofPlatform().name("offhours-ui-under-test").start(() -> {
      try {
        exit.complete(moto.main(out, errStream)
            .run("ui", "--json", "--time-zone", "UTC", "--price", "0.115"));
      } catch (Throwable t) {
        exit.completeExceptionally(t);
      }
    });
    CompletableFuture.anyOf(firstLine, exit).get(60, TimeUnit.SECONDS);
    assertThat(firstLine)
        .as("ui printed its address; stderr: %s", err.toString(StandardCharsets.UTF_8))
        .isDone();
    url = URI.create(Json.MAPPER.readTree(firstLine.join()).get("url").asText());
    token = url.getQuery().substring("token=".length());
  }

  private HttpResponse<String> upload(String key, byte[] body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(url.resolve("/api/upload?key=" + key))
            .header("X-Offhours-Token", token)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(url.resolve(pathAndQuery))
            .header("X-Offhours-Token", token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String message(HttpResponse<String> answer) throws IOException {
    return Json.MAPPER.readTree(answer.body()).get("message").asText();
  }

  /** A stream that completes {@code line} with the first line written to it. */
  private static OutputStream lineCatcher(CompletableFuture<String> line) {
    return new OutputStream() {
      private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

      @Override
      public void write(int b) {
        if (b == '\n') {
          line.complete(buffer.toString(StandardCharsets.UTF_8));
        } else if (!line.isDone()) {
          buffer.write(b);
        }
      }
    };
  }
}
