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
import org.junit.jupiter.api.Test;

/**
 * {@code offhours ui} on a local stack hosted serverless (its state file's HOSTING, as {@code local start --hosting
 * serverless} records it), on moto_server (started by {@link AwsServicesExtension}): the page refuses a 5 MB upload
 * by the serverless endpoint's 4 MiB, which the other hostings' 6 MB would take, stores one of exactly 4 MiB, and the
 * command says nothing of an assumed limit.
 */
class UiUploadLimitIT extends OnMotoStack {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void thePageOfAServerlessStackRefusesAFiveMegabyteUploadByItsLimit() throws Exception {
    withSettings(Map.of("HOSTING", "serverless"));
    CompletableFuture<String> firstLine = new CompletableFuture<>();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread ui = Thread.ofPlatform().name("offhours-ui-under-test").start(() -> {
      try {
        exit.complete(moto.main(
                new PrintStream(lineCatcher(firstLine), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run("ui", "--json", "--time-zone", "UTC", "--price", "0.115"));
      } catch (Throwable t) {
        exit.completeExceptionally(t);
      }
    });
    try {
      CompletableFuture.anyOf(firstLine, exit).get(60, TimeUnit.SECONDS);
      assertThat(firstLine)
          .as("ui printed its address; stderr: %s", err.toString(StandardCharsets.UTF_8))
          .isDone();
      JsonNode printed = Json.MAPPER.readTree(firstLine.join());
      URI url = URI.create(printed.get("url").asText());
      String token = url.getQuery().substring("token=".length());

      HttpResponse<String> five = upload(url, token, "five.png", new byte[5_000_000]);
      assertThat(five.statusCode()).as(five.body()).isEqualTo(413);
      assertThat(Json.MAPPER.readTree(five.body()).get("message").asText())
          .isEqualTo("five.png is 5.0 MB; the endpoint accepts at most 4.2 MB: resize or re-encode"
              + " it under that size and upload it again");
      HttpResponse<String> four = upload(url, token, "four.png", new byte[4_194_304]);
      assertThat(four.statusCode()).as(four.body()).isEqualTo(201);

      assertThat(moto.s3.listObjectsV2(r -> r.bucket(moto.bucket)).contents())
          .extracting(o -> o.key() + " " + o.size())
          .containsExactly("four.png 4194304");
      assertThat(err.toString(StandardCharsets.UTF_8))
          .as("the limit is the stack's own: no note of an assumed one")
          .doesNotContain("note: ");
    } finally {
      ui.interrupt();
      ui.join(TimeUnit.SECONDS.toMillis(30));
    }
  }

  private HttpResponse<String> upload(URI url, String token, String key, byte[] body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(url.resolve("/api/upload?key=" + key))
            .header("X-Offhours-Token", token)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
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
