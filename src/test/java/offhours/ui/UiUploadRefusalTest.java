package offhours.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.testing.PartlySent;
import offhours.testing.ReadToClose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The upload rules' refusals of a POST /api/upload on the wire, on a page whose limit is 1,000 bytes: the name and the
 * type are refused before any of the file is read, a size its Content-Length declares over the limit at once, one
 * sent in chunks once a byte over the limit has come; then at most the limit's worth of the body is read and dropped,
 * and the connection closes. Before, each read the whole body first (to state its size, which the name and the type
 * do not say): a client declaring 50 MB and sending it slowly got its answer only once all of it had come.
 */
class UiUploadRefusalTest {

  private static final int LIMIT = 1_000;

  private final Map<String, byte[]> uploads = new LinkedHashMap<>();
  private UiServer server;
  private int port;
  private String post;

  @BeforeEach
  void start() throws Exception {
    server = UiServer.start(
        new MemoryUiData(() -> Map.of("results", List.of())) {
          @Override
          public void upload(String key, byte[] bytes) {
            uploads.put(key, bytes);
          }
        },
        0,
        () -> new UploadRules(LIMIT, Optional.empty()));
    port = server.url().getPort();
    String token = server.url().getQuery().substring("token=".length());
    post = "POST /api/upload?key=%s HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
        + UiServer.TOKEN_HEADER + ": " + token + "\r\n";
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aFileDeclaredOverTheLimitIsRefusedWithItsDeclaredSizeBeforeItIsSent() throws Exception {
    String answer = PartlySent.answer(
        port, post.formatted("big.png") + "Content-Length: 50000000\r\n", new byte[10]);

    assertThat(answer)
        .startsWith("HTTP/1.1 413 ")
        .containsIgnoringCase("Connection: close")
        .endsWith("{\"message\":\"big.png is 50 MB; the endpoint accepts at most 1.0 kB: resize or"
            + " re-encode it under that size and upload it again\"}");
    assertThat(uploads).isEmpty();
  }

  @Test
  void aNameOrATypeIsRefusedBeforeTheFileIsSent() throws Exception {
    // Neither says anything of the file: before, the page read all of it anyway.
    String gif = PartlySent.answer(
        port, post.formatted("big.gif") + "Content-Length: 50000000\r\n", new byte[10]);
    String control = PartlySent.answer(
        port, post.formatted("a%0Ab.png") + "Content-Length: 50000000\r\n", new byte[10]);

    assertThat(gif)
        .startsWith("HTTP/1.1 415 ")
        .containsIgnoringCase("Connection: close")
        .endsWith("{\"message\":\"big.gif would never get a result: offhours classifies keys ending"
            + " in .jpg, .jpeg, .png (any case)\"}");
    assertThat(control)
        .startsWith("HTTP/1.1 400 ")
        .containsIgnoringCase("Connection: close")
        .endsWith("{\"message\":\"an object key here may not contain control characters\"}");
    assertThat(uploads).isEmpty();
  }

  @Test
  void aFileSentInChunksIsRefusedOnceAByteOverTheLimitHasCome() throws Exception {
    // No length declared: the limit is found by reading, never beyond it, and the size is not
    // known. One chunk a byte over the limit, its CRLF and the head of a next chunk, which the JDK
    // reads before it says how much it read.
    String answer = PartlySent.answer(
        port,
        post.formatted("big.png") + "Transfer-Encoding: chunked\r\n",
        chunk(LIMIT + 1, "\r\n10\r\n"));

    assertThat(answer)
        .startsWith("HTTP/1.1 413 ")
        .containsIgnoringCase("Connection: close")
        .endsWith("{\"message\":\"big.png is over 1.0 kB, the most the endpoint accepts: resize or"
            + " re-encode it under that size and upload it again\"}");
    assertThat(uploads).isEmpty();
  }

  /**
   * A client that sends the whole file before it reads, and reads to the end of the connection ({@link ReadToClose}),
   * gets each refusal whole: the connection closes once the part of the body the page drops, and the rest the JDK's
   * server drains on closing (up to 64 KB), are read. Each file here is no larger than both together, so each close is
   * a clean one.
   */
  @Test
  void eachRefusalEndsItsConnectionForAClientThatSendsAllAndReadsToTheEnd() throws Exception {
    byte[] file = new byte[3 * LIMIT];
    String length = "Content-Length: " + file.length + "\r\n";

    assertThat(ReadToClose.answer(port, post.formatted("big.png") + length, file))
        .startsWith("HTTP/1.1 413 ")
        .containsIgnoringCase("Connection: close")
        .endsWith("{\"message\":\"big.png is 3.0 kB; the endpoint accepts at most 1.0 kB: resize or"
            + " re-encode it under that size and upload it again\"}");
    assertThat(ReadToClose.answer(port, post.formatted("big.gif") + length, file))
        .startsWith("HTTP/1.1 415 ")
        .containsIgnoringCase("Connection: close")
        .contains("big.gif would never get a result");
    assertThat(ReadToClose.answer(
            port,
            post.formatted("big.png") + "Transfer-Encoding: chunked\r\n",
            chunk(3 * LIMIT, "\r\n0\r\n\r\n")))
        .startsWith("HTTP/1.1 413 ")
        .containsIgnoringCase("Connection: close")
        .contains("big.png is over 1.0 kB");
    assertThat(uploads).isEmpty();

    assertThat(ReadToClose.answer(
            port,
            post.formatted("fits.png") + "Content-Length: " + LIMIT + "\r\nConnection: close\r\n",
            new byte[LIMIT]))
        .as("a file at the limit is stored")
        .startsWith("HTTP/1.1 201 ");
    assertThat(uploads.get("fits.png")).hasSize(LIMIT);
  }

  /** A chunk of {@code bytes} zero bytes, with its size line, then {@code after}. */
  private static byte[] chunk(int bytes, String after) {
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    chunk.writeBytes((Integer.toHexString(bytes) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    chunk.writeBytes(new byte[bytes]);
    chunk.writeBytes(after.getBytes(StandardCharsets.US_ASCII));
    return chunk.toByteArray();
  }
}
