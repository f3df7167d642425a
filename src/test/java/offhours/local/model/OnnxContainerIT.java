// Needs: ONNX Runtime, and node + npm with the npm registry on the first run (fetches the default
// model into the offhours cache).
package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import offhours.testing.PartlySent;
import offhours.testing.RawUtf8Request;
import offhours.testing.ReadToClose;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in container over real HTTP: the SageMaker /ping and /invocations contract. */
class OnnxContainerIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static OnnxContainer container;

  @BeforeAll
  static void startWithTheDefaultModel() throws IOException {
    container = OnnxContainer.start(ModelFixtures.defaultModel().onnx(), 0);
  }

  @AfterAll
  static void stop() {
    container.close();
  }

  @Test
  void pingAnswers200OnLoopback() throws Exception {
    assertThat(container.baseUri().getHost()).isEqualTo("127.0.0.1");
    HttpResponse<String> ping = HTTP.send(
        HttpRequest.newBuilder(container.baseUri().resolve("/ping")).build(),
        BodyHandlers.ofString());
    assertThat(ping.statusCode()).isEqualTo(200);
  }

  @Test
  void safePhotosGetFiveProbabilitiesAndAreNotFlagged() throws Exception {
    for (var photo : List.of(
        new String[] {"chelsea.png", "image/png"},
        new String[] {"rocket.jpg", "application/x-image"},
        new String[] {"rocket.jpg", "image/jpeg; charset=binary"})) {
      HttpResponse<String> r = invoke(ImagePreprocessorTest.resource(photo[0]), photo[1]);
      assertThat(r.statusCode()).as(photo[0]).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
      double[] p = JSON.readValue(r.body(), double[].class);
      assertThat(p).as(photo[0]).hasSize(5);
      assertThat(Arrays.stream(p).sum()).isCloseTo(1.0, within(1e-4));
      int top = 0;
      for (int i = 1; i < p.length; i++) {
        top = p[i] > p[top] ? i : top;
      }
      // nsfwjs itself calls the rocket photo a Drawing (NsfwjsEquivalenceIT shows we agree); what
      // matters for moderation is that neither photo is flagged as Hentai, Porn or Sexy.
      assertThat(DefaultModel.LABELS.get(top))
          .as("%s -> %s", photo[0], r.body())
          .isEqualTo(photo[0].equals("chelsea.png") ? "Neutral" : "Drawing");
      assertThat(p[1] + p[3] + p[4]).as("%s NSFW probability", photo[0]).isLessThan(0.1);
    }
  }

  @Test
  void theResponseIsWhatInferenceComputes() throws Exception {
    byte[] png = ImagePreprocessorTest.resource("chelsea.png");
    double[] overHttp = JSON.readValue(invoke(png, "image/png").body(), double[].class);
    float[] direct = container.classifier().classify(png);
    for (int i = 0; i < direct.length; i++) {
      assertThat((float) overHttp[i])
          .isEqualTo(direct[i]); // Float.toString round-trips to the same float
    }
  }

  @Test
  void truncatedJpegIs400WithTheReason() throws Exception {
    byte[] jpeg = ImagePreprocessorTest.resource("rocket.jpg");
    HttpResponse<String> r = invoke(Arrays.copyOf(jpeg, jpeg.length / 2), "image/jpeg");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo(
            "could not decode image: JPEG data ends early (Truncated File - Missing EOI marker)");
  }

  @Test
  void aPngWithAMalformedHeaderIs400WithTheReason() throws Exception {
    // The header chunk (IHDR) must hold 13 bytes; this one holds 4. Before, the decoder read past
    // it and the connection dropped, which the local SageMaker reports as a model crash.
    byte[] png = PngDecoderTest.shortHeader();

    HttpResponse<String> r = invoke(png, "image/png");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo(
            "could not decode image: the PNG header chunk (IHDR) holds 4 bytes; a PNG's holds 13");
  }

  @Test
  void anImageWhoseDecodingWouldExceedTheMemoryBudgetIs413WithTheReason() throws Exception {
    byte[] big =
        png(new BufferedImage(1000, 1000, BufferedImage.TYPE_3BYTE_BGR)); // a few KB, 1 megapixel
    byte[] small = ImagePreprocessorTest.resource("chelsea.png"); // 451x300

    try (OnnxContainer tight = OnnxContainer.start(
        ModelFixtures.defaultModel().onnx(), 0, Preprocessing.DEFAULT, 1 << 20)) {
      HttpResponse<String> refused = post(tight.baseUri(), big);
      HttpResponse<String> served = post(tight.baseUri(), small);

      assertThat(refused.statusCode()).isEqualTo(413);
      assertThat(refused.body())
          .isEqualTo("decoding this 1000x1000 PNG takes about 5.7 MiB, more than the 1.0 MiB this"
              + " container decodes within; send a smaller image");
      assertThat(served.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aRequestFromAWebPageOrForAnotherHostIsRefused() throws Exception {
    HttpResponse<String> fromAPage = HTTP.send(
        HttpRequest.newBuilder(container.baseUri().resolve("/invocations"))
            .header("Content-Type", "image/png")
            .header("Origin", "http://attacker.example")
            .POST(BodyPublishers.ofByteArray(ImagePreprocessorTest.resource("chelsea.png")))
            .build(),
        BodyHandlers.ofString());
    int port = container.baseUri().getPort();
    String rebound;
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket
          .getOutputStream()
          .write(("GET /ping HTTP/1.1\r\nHost: rebound.attacker.example:" + port
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      rebound = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    String twice;
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket
          .getOutputStream()
          .write(("GET /ping HTTP/1.1\r\nHost: 127.0.0.1:" + port
                  + "\r\nHost: rebound.attacker.example:" + port + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      twice = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    // RFC 9112 section 3.2.2: an absolute-form target names the host the request is for, whatever
    // Host says. Before, this was answered as GET /ping.
    String absolute;
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket
          .getOutputStream()
          .write(("GET http://rebound.attacker.example/ping HTTP/1.1\r\nHost: 127.0.0.1:" + port
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      absolute = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(fromAPage.statusCode()).isEqualTo(403);
    assertThat(rebound).startsWith("HTTP/1.1 403");
    assertThat(absolute)
        .startsWith("HTTP/1.1 403")
        .containsIgnoringCase("Content-Type: text/plain")
        .endsWith("the request's target names a scheme or host ('http://rebound.attacker.example'),"
            + " which RFC 9112 makes the request's host in place of its Host header; send the path"
            + " alone ('/ping')");
    assertThat(twice).as("a second Host, the first the container's own").startsWith("HTTP/1.1 403");
  }

  @Test
  void onlyTheContractsTwoPathsAreServedAndAnyOtherIsAPlain404() throws Exception {
    // Before, "/pingx" answered as /ping and "/invocations/x" classified the image (the JDK
    // matches a context by prefix), and "/" got the JDK's HTML 404.
    for (String path : List.of("/pingx", "/ping/", "/", "/nothing")) {
      HttpResponse<String> r = HTTP.send(
          HttpRequest.newBuilder(container.baseUri().resolve(path)).GET().build(),
          BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.body())
          .as(path)
          .isEqualTo("no such path; the model container serves GET /ping and POST /invocations");
    }
    HttpResponse<String> invoked = HTTP.send(
        HttpRequest.newBuilder(container.baseUri().resolve("/invocations/x"))
            .header("Content-Type", "image/png")
            .POST(BodyPublishers.ofByteArray(ImagePreprocessorTest.resource("chelsea.png")))
            .build(),
        BodyHandlers.ofString());
    assertThat(invoked.statusCode()).isEqualTo(404);
  }

  @Test
  void textWithAnImageContentTypeIs400() throws Exception {
    HttpResponse<String> r = invoke("notes, not a photo".getBytes(), "application/x-image");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo(
            "could not decode image: not a JPEG or PNG (first bytes: 6e 6f 74 65 73 2c 20 6e)");
  }

  @Test
  void otherContentTypesAre415() throws Exception {
    HttpResponse<String> r =
        invoke(ImagePreprocessorTest.resource("chelsea.png"), "application/json");
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(r.body())
        .isEqualTo("unsupported content type 'application/json'; send the image bytes as"
            + " application/x-image, image/jpeg or image/png");
  }

  /** The content type is the caller's: the refusal quotes it escaped and cut (offhours.units.Shown). */
  @Test
  void anUnsupportedContentTypeIsQuotedEscapedAndCut() throws Exception {
    RawUtf8Request r = RawUtf8Request.send(
        container.baseUri().getPort(),
        "POST",
        "/invocations",
        java.util.Map.of("Content-Type", "image/\u001b[2j" + "x".repeat(4990)),
        ImagePreprocessorTest.resource("chelsea.png"));
    assertThat(r.status()).isEqualTo(415);
    assertThat(r.body())
        .isEqualTo("unsupported content type 'image/\\x1b[2j" + "x".repeat(50)
            + "... (5000 characters)'; send the image bytes as application/x-image, image/jpeg or"
            + " image/png");
  }

  @Test
  void aRefusalBeforeTheBodyIsReadStillReachesACallerSendingALargeOne() throws Exception {
    // Left unread, the body's rest made the server close the connection while the caller still
    // sent: a reset in place of the 415, read by the local SageMaker as a model crash.
    byte[] large = new byte[6_000_000];
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = invoke(large, "application/json");
      assertThat(r.statusCode()).isEqualTo(415);
    }
  }

  @Test
  void aPayloadDeclaredOverSixMegabytesIsRefusedWithoutWaitingForIt() throws Exception {
    int port = container.baseUri().getPort();

    // Before, the container read up to 6 MB first, so this answer waited for a body never sent.
    String answer = PartlySent.answer(
        port,
        "POST /invocations HTTP/1.1\r\nHost: 127.0.0.1:" + port
            + "\r\nContent-Type: image/png\r\nContent-Length: " + (7 * 1024 * 1024) + "\r\n",
        "a few bytes".getBytes(StandardCharsets.US_ASCII));

    assertThat(answer)
        .startsWith("HTTP/1.1 413 ")
        .containsIgnoringCase("Connection: close")
        .endsWith("payload is larger than 6291456 bytes, the most InvokeEndpoint accepts");
  }

  /**
   * Each refusal ends its connection once it is sent, so a caller that sends its whole body before it reads, and reads
   * to the end of the connection rather than by the answer's length, gets it whole ({@link ReadToClose}). Each body is
   * no larger than what the container drops and the JDK's server drains on closing (64 KB), so each close is clean.
   */
  @Test
  void eachRefusalEndsItsConnectionForACallerThatReadsToTheEnd() throws Exception {
    int port = container.baseUri().getPort();
    String host = "Host: 127.0.0.1:" + port + "\r\n";
    byte[] json = new byte[100_000];
    byte[] over = new byte[6_291_456 + 1_000];

    assertThat(ReadToClose.answer(
            port,
            "POST /invocations HTTP/1.1\r\n" + host
                + "Content-Type: application/json\r\nContent-Length: " + json.length + "\r\n",
            json))
        .startsWith("HTTP/1.1 415 ")
        .containsIgnoringCase("Connection: close")
        .endsWith("send the image bytes as application/x-image, image/jpeg or image/png");
    assertThat(ReadToClose.answer(
            port,
            "POST /invocations HTTP/1.1\r\n" + host + "Content-Type: image/png\r\nContent-Length: "
                + over.length + "\r\n",
            over))
        .startsWith("HTTP/1.1 413 ")
        .containsIgnoringCase("Connection: close")
        .endsWith("payload is larger than 6291456 bytes, the most InvokeEndpoint accepts");
    assertThat(ReadToClose.answer(
            port,
            "POST /elsewhere HTTP/1.1\r\n" + host + "Content-Length: 1000\r\n",
            new byte[1000]))
        .startsWith("HTTP/1.1 404 ")
        .containsIgnoringCase("Connection: close")
        .endsWith("no such path; the model container serves GET /ping and POST /invocations");
  }

  @Test
  void getOnInvocationsIs405() throws Exception {
    HttpResponse<String> r = HTTP.send(
        HttpRequest.newBuilder(container.baseUri().resolve("/invocations")).build(),
        BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void aUsersNchwModelGetsItsLayoutSizeAndNormalization(@TempDir Path dir) throws Exception {
    // A stand-in user model: input x [N,3,8,8] (NCHW), output the mean of each channel.
    var graph = new OnnxGraphBuilder();
    graph.floatInput("x", "N", 3L, 8L, 8L);
    graph.node("GlobalAveragePool", "pool", List.of("x"), List.of("pooled"));
    graph.node(
        "Flatten",
        "flatten",
        List.of("pooled"),
        List.of("mean"),
        OnnxGraphBuilder.intAttr("axis", 1));
    graph.floatOutput("mean", "N", 3L);
    Path model =
        Files.write(dir.resolve("mean.onnx"), graph.build("mean", "test", "channel means"));
    BufferedImage red = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
    var g = red.createGraphics();
    g.setColor(new Color(255, 0, 51));
    g.fillRect(0, 0, 20, 10);
    g.dispose();
    var png = new ByteArrayOutputStream();
    ImageIO.write(red, "png", png);

    try (OnnxContainer unit = OnnxContainer.start(model, 0);
        OnnxContainer imagenet = OnnxContainer.start(
            model, 0, new Preprocessing(Normalization.IMAGENET, Resize.STRETCH))) {
      assertThat(JSON.readValue(post(unit.baseUri(), png.toByteArray()).body(), double[].class))
          .containsExactly(new double[] {1.0, 0.0, 0.2}, within(1e-6));
      assertThat(JSON.readValue(post(imagenet.baseUri(), png.toByteArray()).body(), double[].class))
          .containsExactly(
              new double[] {(1 - 0.485) / 0.229, (0 - 0.456) / 0.224, (0.2 - 0.406) / 0.225},
              within(1e-5));
    }
  }

  @Test
  void aModelThatIsNotAnImageClassifierIsRefusedAtStart(@TempDir Path dir) throws Exception {
    var graph = new OnnxGraphBuilder();
    graph.floatInput("tokens", "N", 128L);
    graph.node("Identity", "same", List.of("tokens"), List.of("out"));
    graph.floatOutput("out", "N", 128L);
    Path model =
        Files.write(dir.resolve("text.onnx"), graph.build("text", "test", "not an image model"));
    assertThatThrownBy(() -> OnnxContainer.start(model, 0))
        .isInstanceOf(IOException.class)
        .hasMessage(model
            + ": model input 'tokens' has shape [-1, 128]; expected an RGB image tensor [N,H,W,3]"
            + " or [N,3,H,W]");
  }

  @Test
  void labelsThatDoNotMatchTheOutputsAreRefusedAtStart(@TempDir Path dir) throws Exception {
    Path onnx = ModelFixtures.defaultModel().onnx();
    Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n");
    assertThatThrownBy(
            () -> OnnxContainer.start(new ModelFiles(onnx, labels), 0, Preprocessing.DEFAULT))
        .hasMessage("labels file '" + labels + "' lists 2 labels but model file '" + onnx
            + "' outputs 5 classes; give one label per output, in the model's order");
    assertThatThrownBy(
            () -> OnnxContainer.checkLabels(new ModelFiles(onnx, labels), Preprocessing.DEFAULT))
        .as("the check local mode runs at start")
        .hasMessageContaining("lists 2 labels but model file '" + onnx + "' outputs 5");
    try (var ok = OnnxContainer.start(ModelFixtures.defaultModel(), 0, Preprocessing.DEFAULT)) {
      assertThat(ModelFixtures.defaultModel().readLabels())
          .containsExactly("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
    }
  }

  private static HttpResponse<String> invoke(byte[] body, String contentType) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(container.baseUri().resolve("/invocations"))
            .header("Content-Type", contentType)
            .POST(BodyPublishers.ofByteArray(body))
            .build(),
        BodyHandlers.ofString());
  }

  private static byte[] png(BufferedImage image) throws IOException {
    var out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private static HttpResponse<String> post(URI base, byte[] png) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(base.resolve("/invocations"))
            .header("Content-Type", "image/png")
            .POST(BodyPublishers.ofByteArray(png))
            .build(),
        BodyHandlers.ofString());
  }
}
