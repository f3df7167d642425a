package offhours.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.aws.PayloadLimits;
import offhours.local.api.Loopback;
import offhours.stack.Hosting;
import offhours.testing.RawUtf8Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who may use the page, what GET may never do, and what reaches the browser, with data held in memory. */
class UiServerTest {

  private static final String XSS_KEY = "<img src=x onerror=alert(1)>.png";
  private static final String CONTROL_KEY = "cat\t\u001b[31m.png";

  private final List<String> actions = new ArrayList<>();
  private final Map<String, byte[]> uploads = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private UiServer server;
  private String token;
  private URI base;

  @BeforeEach
  void start() throws Exception {
    server = UiServer.start(new Memory(), 0, FixedPageSettings::uploadRules);
    URI url = server.url();
    token = url.getQuery().substring("token=".length());
    base = URI.create("http://" + url.getAuthority());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void thePrintedAddressCarriesALongRandomTokenOn127001() throws Exception {
    assertThat(server.url().getHost()).isEqualTo("127.0.0.1");
    assertThat(token).matches("[0-9a-f]{48}");
    try (UiServer other = UiServer.start(new Memory(), 0, FixedPageSettings::uploadRules)) {
      assertThat(other.url().getQuery()).isNotEqualTo(server.url().getQuery());
    }
  }

  /**
   * A request that comes the moment the page starts serving, as one may on a fixed {@code --port}, meets the whole
   * server: here asked before its start returns. Before, the page served before its guard was set, and such a request
   * met none (a NullPointerException on the server's thread, the connection closed without an answer).
   */
  @Test
  void aRequestTheMomentThePageServesMeetsTheWholeServer() throws Exception {
    List<Integer> first = new ArrayList<>();
    Loopback.Startup askingAtOnce = (bound, handler, unplaced) -> {
      bound.start(handler, unplaced);
      try {
        first.add(http.send(
                HttpRequest.newBuilder(URI.create(bound.origin() + "/api/status"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .statusCode());
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    };
    try (UiServer early = UiServer.start(
        new Memory(), 0, FixedPageSettings::uploadRules, Clock.systemUTC(), askingAtOnce)) {
      assertThat(first)
          .as("refused for want of the token, as any request without it")
          .containsExactly(401);
    }
  }

  @Test
  void theDataNeedsTheTokenAndThePageComesWithAStrictContentSecurityPolicy() throws Exception {
    assertThat(get("/api/status", Map.of()).statusCode()).isEqualTo(401);
    assertThat(get("/api/status", Map.of(UiServer.TOKEN_HEADER, "0".repeat(48))).statusCode())
        .isEqualTo(401);
    assertThat(get("/api/status", Map.of(UiServer.TOKEN_HEADER, token)).statusCode())
        .isEqualTo(200);

    // The page itself holds no data: a reload after its script took the token out of the address
    // loads it.
    assertThat(get("/", Map.of()).body())
        .isEqualTo(get("/?token=" + token, Map.of()).body());
    HttpResponse<String> page = get("/", Map.of());

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-security-policy"))
        .contains("default-src 'none'; script-src 'self';"
            + " style-src 'self'; img-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'");
    assertThat(page.headers().firstValue("x-content-type-options")).contains("nosniff");
    assertThat(page.headers().firstValue("x-frame-options")).contains("DENY");
    assertThat(page.headers().firstValue("referrer-policy")).contains("no-referrer");
    assertThat(page.body())
        .contains("<script type=\"module\" src=\"/assets/app.js\"></script>")
        .doesNotContain("<script>", " on" + "click=", "http://", "https://");
  }

  @Test
  void assetsAreServedFromTheJarWithoutNetworkReferences() throws Exception {
    Map<String, String> assets = new LinkedHashMap<>();
    PageFiles.SCRIPTS.forEach(
        name -> assets.put("/assets/" + name, "text/javascript; charset=utf-8"));
    assets.put("/assets/app.css", "text/css; charset=utf-8");
    assets.put("/assets/icon.svg", "image/svg+xml");
    for (Map.Entry<String, String> asset : assets.entrySet()) {
      HttpResponse<String> response = get(asset.getKey(), Map.of());
      assertThat(response.statusCode()).as(asset.getKey()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-type"))
          .as(asset.getKey())
          .contains(asset.getValue());
      assertThat(response.body())
          .as(asset.getKey())
          .doesNotContain("https://", "//fonts.", "//cdn")
          .doesNotContain("eval(");
    }
    for (String script : PageFiles.SCRIPTS) {
      assertThat(get("/assets/" + script, Map.of()).body())
          .as(script)
          .doesNotContain("innerHTML", "insertAdjacentHTML", "document.write");
    }
    assertThat(get("/assets/nothing.js", Map.of()).statusCode())
        .as("a name not listed is no asset: it needs the token")
        .isEqualTo(401);
    assertThat(get("/assets/nothing.js", Map.of(UiServer.TOKEN_HEADER, token)).statusCode())
        .as("and is not there")
        .isEqualTo(404);
  }

  @Test
  void theScriptsServedAreExactlyTheModulesAppJsReaches() throws Exception {
    // Each import on a line of its own, from a module beside it; one written otherwise fails here.
    Pattern from = Pattern.compile("import \\{ [$\\w, ]+ \\} from '\\./([a-z]+\\.js)';");
    Set<String> reached = new LinkedHashSet<>();
    Deque<String> next = new ArrayDeque<>(List.of("app.js"));
    while (!next.isEmpty()) {
      String name = next.pop();
      if (!reached.add(name)) {
        continue;
      }
      HttpResponse<String> module = get("/assets/" + name, Map.of());
      assertThat(module.statusCode()).as(name).isEqualTo(200);
      for (String line : module.body().lines().toList()) {
        if (line.startsWith("import") || line.contains(" from '")) {
          Matcher imported = from.matcher(line);
          assertThat(imported.matches()).as(name + ": " + line).isTrue();
          next.push(imported.group(1));
        }
      }
    }
    assertThat(reached).containsExactlyInAnyOrderElementsOf(PageFiles.SCRIPTS);
  }

  @Test
  void untrustedKeysLeaveAsHtmlSafeJson() throws Exception {
    HttpResponse<String> results = get("/api/results", Map.of(UiServer.TOKEN_HEADER, token));

    assertThat(results.statusCode()).isEqualTo(200);
    assertThat(results.headers().firstValue("content-type"))
        .contains("application/json; charset=utf-8");
    assertThat(results.body())
        .contains("\\u003cimg src=x onerror=alert(1)\\u003e.png")
        .doesNotContain("<img");
  }

  @Test
  void theTokenInTheAddressIsRefusedEvenWhenItIsRight() throws Exception {
    // Addresses are what access logs, proxies and the browser's history keep; the page sends a
    // header.
    for (String path : List.of(
        "/api/status?token=" + token,
        "/api/thumb?key=cat.png&token=" + token,
        "/api/results?token=" + token,
        "/api/status?token=" + "0".repeat(48))) {
      HttpResponse<String> refused = get(path, Map.of());
      assertThat(refused.statusCode()).as(path).isEqualTo(400);
      assertThat(refused.body())
          .as(path)
          .isEqualTo("{\"message\":\"the token goes in the X-Offhours-Token header, not in the"
              + " address: an address is kept by logs and history (only the page, '/', takes it"
              + " there)\"}");
    }
    assertThat(get("/api/status?token=" + token, Map.of(UiServer.TOKEN_HEADER, token))
            .statusCode())
        .as("with the header too")
        .isEqualTo(400);
    assertThat(get("/?token=" + token, Map.of()).statusCode())
        .as("the printed address itself, which the page's script takes the token out of")
        .isEqualTo(200);
  }

  @Test
  void aForeignHostOrOriginIsRefusedEvenWithTheToken() throws Exception {
    assertThat(rawStatusLine("evil.example:" + base.getPort(), "/api/status")).contains(" 403 ");
    assertThat(rawStatusLine(base.getAuthority(), "/api/status")).contains(" 200 ");
    assertThat(post(
                "/api/endpoint/stop",
                Map.of(UiServer.TOKEN_HEADER, token, "Origin", "https://evil.example"))
            .statusCode())
        .isEqualTo(403);
    assertThat(actions).isEmpty();
  }

  @Test
  void aTargetThatNamesAHostIsRefusedThoughHostIsThisPages() throws Exception {
    // RFC 9112 section 3.2.2: an absolute-form target names the host the request is for, whatever
    // Host says. Before, each of these was served as its path.
    Map<String, String> withToken = Map.of(UiServer.TOKEN_HEADER, token);
    for (String target : List.of(
        "http://evil.example/api/status",
        "//evil.example/api/status",
        base + "/api/status",
        "http://evil.example/",
        "http://evil.example/assets/app.js")) {
      RawUtf8Request answer = RawUtf8Request.get(base.getPort(), target, withToken);
      assertThat(answer.status()).as(target).isEqualTo(403);
      assertThat(answer.body())
          .as(target)
          .startsWith("{\"message\":\"the request's target names a scheme or host ('");
    }
    assertThat(RawUtf8Request.get(base.getPort(), "http://evil.example/api/status", withToken)
            .body())
        .isEqualTo("{\"message\":\"the request's target names a scheme or host"
            + " ('http://evil.example'), which RFC 9112 makes the request's host in place of its"
            + " Host header; send the path alone ('/api/status')\"}");
    assertThat(RawUtf8Request.get(base.getPort(), "/api/status", withToken).status())
        .isEqualTo(200);
  }

  @Test
  void aSecondHostOrOriginIsRefusedThoughTheFirstIsThisPages() throws Exception {
    // Before, the first of each was checked: the page's own Host, or Origin, then another passed.
    String own = base.getAuthority();
    for (String headers : List.of(
        "Host: " + own + "\r\nHost: evil.example\r\n",
        "Host: " + own + "\r\nOrigin: " + base + "\r\nOrigin: https://evil.example\r\n")) {
      try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
        socket
            .getOutputStream()
            .write(("POST /api/endpoint/stop HTTP/1.1\r\n" + headers + UiServer.TOKEN_HEADER + ": "
                    + token + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(answer).as(headers).startsWith("HTTP/1.1 403");
      }
    }
    assertThat(actions).isEmpty();
  }

  @Test
  void getNeverChangesAnythingAndPostsNeedTheTokenHeader() throws Exception {
    assertThat(get("/api/endpoint/stop", Map.of(UiServer.TOKEN_HEADER, token)).statusCode())
        .isEqualTo(405);
    assertThat(
            get("/api/upload?key=a.png", Map.of(UiServer.TOKEN_HEADER, token)).statusCode())
        .isEqualTo(405);
    assertThat(post("/api/endpoint/stop?token=" + token, Map.of()).statusCode())
        .as("a token in the query of a POST (a cross-site form could send that)")
        .isEqualTo(400);
    assertThat(post("/api/endpoint/stop", Map.of()).statusCode()).isEqualTo(401);
    assertThat(actions).isEmpty();
    assertThat(uploads).isEmpty();

    assertThat(post(
                "/api/endpoint/stop",
                Map.of(UiServer.TOKEN_HEADER, token, "Origin", base.toString()))
            .statusCode())
        .isEqualTo(200);
    assertThat(actions).containsExactly("stop");
  }

  @Test
  void uploadsKeepTheirNameAndRefuseKeysS3WouldNotTakeAsTyped() throws Exception {
    String key = java.net.URLEncoder.encode(XSS_KEY, StandardCharsets.UTF_8);
    assertThat(
            post("/api/upload?key=" + key, Map.of(UiServer.TOKEN_HEADER, token)).statusCode())
        .isEqualTo(201);
    assertThat(uploads).containsOnlyKeys(XSS_KEY);

    HttpResponse<String> control =
        post("/api/upload?key=a%0Ab.png", Map.of(UiServer.TOKEN_HEADER, token));
    assertThat(control.statusCode()).isEqualTo(400);
    assertThat(control.body())
        .isEqualTo("{\"message\":\"an object key here may not contain control characters\"}");
  }

  @Test
  void anUploadOverTheEndpointsLimitIsRefusedWithWhatToDoAndOneAtTheLimitIsStored()
      throws Exception {
    HttpResponse<String> over = post(
        "/api/upload?key=big.png",
        Map.of(UiServer.TOKEN_HEADER, token),
        new byte[PayloadLimits.INVOKE_ENDPOINT_BODY_BYTES + 8_544]);
    assertThat(over.statusCode()).isEqualTo(413);
    assertThat(over.body())
        .as("in the words of the verdict such a file gets (Sizes), sizes told apart")
        .isEqualTo("{\"message\":\"big.png is 6.3 MB (6,300,000 bytes); the endpoint accepts at"
            + " most 6.3 MB (6,291,456 bytes): resize or re-encode it under that size and upload it"
            + " again\"}");
    assertThat(uploads).isEmpty();

    assertThat(post(
                "/api/upload?key=fits.png",
                Map.of(UiServer.TOKEN_HEADER, token),
                new byte[PayloadLimits.INVOKE_ENDPOINT_BODY_BYTES])
            .statusCode())
        .isEqualTo(201);
    assertThat(uploads.get("fits.png")).hasSize(6_291_456);
  }

  /**
   * A serverless stack's page ({@code offhours.cli.ImageLimit}: its HOSTING) refuses by that endpoint's 4 MiB, not by
   * the 6 MB of the other hostings: a 5 MB file would only be stored to be REJECTED.
   */
  @Test
  void anUploadOverTheLimitTheServerIsGivenIsRefusedAndOneAtItIsStored() throws Exception {
    try (UiServer serverless = UiServer.start(
        new Memory(),
        0,
        () -> new UploadRules(Hosting.SERVERLESS.maxImageBytes(), Optional.empty()))) {
      String other = serverless.url().getQuery().substring("token=".length());
      URI otherBase = URI.create("http://" + serverless.url().getAuthority());
      HttpResponse<String> over = send(
          otherBase,
          "/api/upload?key=five.png",
          Map.of(UiServer.TOKEN_HEADER, other),
          new byte[5_000_000]);
      assertThat(over.statusCode()).isEqualTo(413);
      assertThat(over.body())
          .isEqualTo(
              "{\"message\":\"five.png is 5.0 MB; the endpoint accepts at most 4.2 MB: resize or"
                  + " re-encode it under that size and upload it again\"}");
      assertThat(send(
                  otherBase,
                  "/api/upload?key=fits.png",
                  Map.of(UiServer.TOKEN_HEADER, other),
                  new byte[4_194_304])
              .statusCode())
          .isEqualTo(201);
      assertThat(uploads).containsOnlyKeys("fits.png");
    }
  }

  /** Where the stack's limit is not known, the page refuses by InvokeEndpoint's and says so with the refusal. */
  @Test
  void aRefusalByAnAssumedLimitSaysWhyItIsAssumed() throws Exception {
    try (UiServer assumed = UiServer.start(
        new Memory(),
        0,
        () -> new UploadRules(
            PayloadLimits.INVOKE_ENDPOINT_BODY_BYTES,
            Optional.of("stack prod has no parameter Hosting")))) {
      HttpResponse<String> over = send(
          URI.create("http://" + assumed.url().getAuthority()),
          "/api/upload?key=big.png",
          Map.of(UiServer.TOKEN_HEADER, assumed.url().getQuery().substring("token=".length())),
          new byte[6_800_000]);
      assertThat(over.statusCode()).isEqualTo(413);
      assertThat(over.body())
          .isEqualTo(
              "{\"message\":\"big.png is 6.8 MB; the endpoint accepts at most 6.3 MB: resize or"
                  + " re-encode it under that size and upload it again (stack prod has no parameter"
                  + " Hosting)\"}");
    }
    assertThatThrownBy(() -> new UploadRules(0, Optional.empty()))
        .hasMessage("the upload limit must be 1 to 2147483646 bytes, got 0");
  }

  @Test
  void theStatusTellsThePageTheUploadLimitAndWhyItIsAssumedOnlyWhenItIs() throws Exception {
    assertThat(get("/api/status", Map.of(UiServer.TOKEN_HEADER, token)).body())
        .isEqualTo("{\"endpoint\":{\"state\":\"ABSENT\"},\"upload\":{\"maxBytes\":6291456}}");
    try (UiServer assumed = UiServer.start(
        new Memory(),
        0,
        () -> new UploadRules(4_194_304, Optional.of("stack prod has no parameter Hosting")))) {
      HttpResponse<String> status = http.send(
          HttpRequest.newBuilder(
                  URI.create("http://" + assumed.url().getAuthority() + "/api/status"))
              .header(UiServer.TOKEN_HEADER, assumed.url().getQuery().substring("token=".length()))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(status.body())
          .isEqualTo("{\"endpoint\":{\"state\":\"ABSENT\"},\"upload\":{\"maxBytes\":4194304,"
              + "\"assumption\":\"stack prod has no parameter Hosting\"}}");
    }
  }

  /** The page asks this of a file it will not send, and shows the answer: the POST's own words, not a copy of them. */
  @Test
  void theUploadCheckAnswersWhatThePostWouldWithoutTheFile() throws Exception {
    Map<String, String> withToken = Map.of(UiServer.TOKEN_HEADER, token);
    HttpResponse<String> posted = post(
        "/api/upload?key=big%20one.png",
        withToken, new byte[PayloadLimits.INVOKE_ENDPOINT_BODY_BYTES + 8_544]);
    assertThat(posted.statusCode()).isEqualTo(413);

    HttpResponse<String> over = get("/api/upload/check?key=big+one.png&bytes=6300000", withToken);
    assertThat(over.statusCode()).isEqualTo(200);
    assertThat(over.body())
        .isEqualTo(posted.body().replace("\"message\"", "\"refusal\""))
        .isEqualTo("{\"refusal\":\"big one.png is 6.3 MB (6,300,000 bytes); the endpoint accepts"
            + " at most 6.3 MB (6,291,456 bytes): resize or re-encode it under that size and upload"
            + " it again\"}");
    assertThat(get("/api/upload/check?key=fits.png&bytes=6291456", withToken).body())
        .isEqualTo("{\"refusal\":null}");
    assertThat(get("/api/upload/check?key=empty.png&bytes=0", withToken).body())
        .as(
            "an empty file is stored and gets its verdict (\"is empty (0 bytes)\"), as upload's are")
        .isEqualTo("{\"refusal\":null}");
    assertThat(get("/api/upload/check?key=a%0Ab.png&bytes=9000000", withToken).body())
        .as("the name is refused first, as the POST refuses it before reading the file")
        .isEqualTo("{\"refusal\":\"an object key here may not contain control characters\"}");
    assertThat(
            get("/api/upload/check?key=huge.png&bytes=50000000000", withToken).body())
        .contains("huge.png is 50 GB;");
    assertThat(uploads).isEmpty();
  }

  /**
   * A file is refused for its name, then its type, then its size, the first thing to change first, and the check
   * answers exactly what the POST does: a .gif over the limit is told it would never get a result (shrinking it would
   * not help), a .png over it its size.
   */
  @Test
  void theCheckAndThePostRefuseTheNameThenTheTypeThenTheSizeInTheSameWords() throws Exception {
    String neverResult =
        " would never get a result: offhours classifies keys ending in .jpg, .jpeg,"
            + " .png (any case)";
    String controls = "an object key here may not contain control characters";
    List<List<Object>> files = List.of(
        List.of("a%0Ab.gif", 1_500, 400, controls),
        List.of("a%0Ab.png", 10, 400, controls),
        List.of("x".repeat(1_021) + ".png", 10, 400, "an object key is at most 1024 bytes"),
        List.of("big.gif", 1_500, 415, "big.gif" + neverResult),
        List.of("photo.HEIC", 10, 415, "photo.HEIC" + neverResult),
        List.of("no%20extension", 10, 415, "no extension" + neverResult),
        List.of("cat.png.webp", 10, 415, "cat.png.webp" + neverResult),
        List.of(
            "big.PNG",
            1_500,
            413,
            "big.PNG is 1.5 kB; the endpoint accepts at most 1.0 kB:"
                + " resize or re-encode it under that size and upload it again"));
    try (UiServer small =
        UiServer.start(new Memory(), 0, () -> new UploadRules(1_000, Optional.empty()))) {
      URI smallBase = URI.create("http://" + small.url().getAuthority());
      Map<String, String> withToken =
          Map.of(UiServer.TOKEN_HEADER, small.url().getQuery().substring("token=".length()));
      for (List<Object> file : files) {
        String key = (String) file.get(0);
        int bytes = (Integer) file.get(1);
        HttpResponse<String> posted =
            send(smallBase, "/api/upload?key=" + key, withToken, new byte[bytes]);
        HttpRequest.Builder check = HttpRequest.newBuilder(
            smallBase.resolve("/api/upload/check?key=" + key + "&bytes=" + bytes));
        withToken.forEach(check::header);
        HttpResponse<String> checked =
            http.send(check.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(posted.statusCode()).as(key).isEqualTo(file.get(2));
        assertThat(posted.body())
            .as(key)
            .isEqualTo("{\"message\":\"" + file.get(3) + "\"}")
            .isEqualTo(checked.body().replace("\"refusal\"", "\"message\""));
        assertThat(checked.statusCode()).as(key).isEqualTo(200);
      }
      assertThat(uploads).isEmpty();
    }
  }

  /**
   * A POST refused before its body is read still reaches a client that sends the whole body before it reads, as a
   * browser or curl does, in words: unread, the rest made the JDK's server close the connection mid-send, and the
   * client got a reset (the page: "could not reach") instead. Sent over a socket: java.net.http reads the answer while
   * it sends, so it sees the words either way.
   */
  @Test
  void anUploadRefusedForItsNameOrTypeIsAnsweredWhileItsLargeBodyIsStillBeingSent()
      throws Exception {
    Map<String, String> withToken = Map.of(UiServer.TOKEN_HEADER, token);
    byte[] large = new byte[4_000_000];
    for (int i = 0; i < 4; i++) {
      RawUtf8Request control = RawUtf8Request.send(
          base.getPort(), "POST", "/api/upload?key=a%0Ab.png", withToken, large);
      assertThat(control.status()).isEqualTo(400);
      assertThat(control.body())
          .isEqualTo("{\"message\":\"an object key here may not contain control characters\"}");
      RawUtf8Request gif =
          RawUtf8Request.send(base.getPort(), "POST", "/api/upload?key=cat.gif", withToken, large);
      assertThat(gif.status()).isEqualTo(415);
      assertThat(gif.body()).startsWith("{\"message\":\"cat.gif would never get a result:");
    }
    assertThat(uploads).isEmpty();
  }

  /**
   * An upload refused before the upload rules are asked (no token, the token in the address, a parameter the route
   * does not take, a method it does not take) reaches a client that sends the whole body before it reads, in words.
   * Before, the body was left unread, the JDK's server closed the connection after 64 KB of it, and a client still
   * sending got a reset. The body is larger than the socket buffers here can hold (32 MB), so it is still being sent
   * when the server answers.
   */
  @Test
  void anUploadRefusedBeforeItsRulesAreAskedIsAnsweredWhileItsLargeBodyIsStillBeingSent()
      throws Exception {
    int limit = 40 * 1024 * 1024;
    byte[] large = new byte[limit];
    try (UiServer roomy =
        UiServer.start(new Memory(), 0, () -> new UploadRules(limit, Optional.empty()))) {
      int port = roomy.url().getPort();
      String own = roomy.url().getQuery().substring("token=".length());
      Map<String, String> withToken = Map.of(UiServer.TOKEN_HEADER, own);

      RawUtf8Request stranger =
          RawUtf8Request.send(port, "POST", "/api/upload?key=a.png", Map.of(), large);
      RawUtf8Request inTheAddress =
          RawUtf8Request.send(port, "POST", "/api/upload?key=a.png&token=" + own, withToken, large);
      RawUtf8Request unknown =
          RawUtf8Request.send(port, "POST", "/api/upload?key=a.png&size=1", withToken, large);
      RawUtf8Request put =
          RawUtf8Request.send(port, "PUT", "/api/upload?key=a.png", withToken, large);

      assertThat(stranger.status()).isEqualTo(401);
      assertThat(stranger.body())
          .isEqualTo("{\"message\":\"open the address 'offhours ui' printed: it carries the"
              + " page's token (a script sends that token=... in the X-Offhours-Token header)\"}");
      assertThat(inTheAddress.status()).isEqualTo(400);
      assertThat(inTheAddress.body()).startsWith("{\"message\":\"the token goes in the");
      assertThat(unknown.status()).isEqualTo(400);
      assertThat(unknown.body()).startsWith("{\"message\":\"the query names 'size'");
      assertThat(put.status()).isEqualTo(405);
      assertThat(put.body()).isEqualTo("{\"message\":\"uploads are POSTed\"}");
      assertThat(put.head()).containsIgnoringCase("Connection: close");
    }
    assertThat(uploads).isEmpty();
  }

  @Test
  void anUploadCheckWithoutASizeOrTokenOrByPostIsRefused() throws Exception {
    Map<String, String> withToken = Map.of(UiServer.TOKEN_HEADER, token);
    Map<String, String> refusals = Map.of(
        "/api/upload/check?key=a.png", "say the file's size with bytes=...",
        "/api/upload/check?key=a.png&bytes=-1",
            "bytes must be a whole number from 0 to 9223372036854775807 in digits 0-9, got '-1'",
        "/api/upload/check?key=a.png&bytes=1e6",
            "bytes must be a whole number from 0 to 9223372036854775807 in digits 0-9, got '1e6'",
        "/api/upload/check?key=a.png&bytes=%2B5",
            "bytes must be a whole number from 0 to 9223372036854775807 in digits 0-9, got '+5'",
        "/api/upload/check?key=a.png&bytes=%205",
            "bytes must be a whole number from 0 to 9223372036854775807 in digits 0-9, got ' 5'");
    for (Map.Entry<String, String> refusal : refusals.entrySet()) {
      HttpResponse<String> answer = get(refusal.getKey(), withToken);
      assertThat(answer.statusCode()).as(refusal.getKey()).isEqualTo(400);
      assertThat(answer.body())
          .as(refusal.getKey())
          .isEqualTo("{\"message\":\"" + refusal.getValue() + "\"}");
    }
    assertThat(get("/api/upload/check?key=a.png&bytes=1", Map.of()).statusCode())
        .isEqualTo(401);
    HttpResponse<String> posted = post("/api/upload/check?key=a.png&bytes=4", withToken);
    assertThat(posted.statusCode()).isEqualTo(405);
    assertThat(posted.body())
        .isEqualTo("{\"message\":\"an upload is checked with GET, without the file\"}");
    assertThat(uploads).isEmpty();
  }

  /**
   * A target the JDK's server would answer itself, with its HTML page, gets the page's JSON error with the headers of
   * its every answer: 404 for one that is no path ({@code *}, {@code //status}), 400 saying why for one that is no URI,
   * 403 for one that names a scheme or comes from elsewhere.
   */
  @Test
  void aTargetTheJdksServerWouldAnswerItselfGetsThePagesJson() throws Exception {
    for (String target : List.of("*", "//status", "results")) {
      assertThat(rawResponse(base.getAuthority(), target))
          .as(target)
          .startsWith("HTTP/1.1 404 ")
          .containsIgnoringCase("\r\nContent-Security-Policy: default-src 'none';")
          .containsIgnoringCase("\r\nContent-Type: application/json; charset=utf-8\r\n")
          .endsWith("\r\n\r\n{\"message\":\"nothing here\"}");
    }
    assertThat(rawResponse(base.getAuthority(), "/api/results?label=%zz"))
        .startsWith("HTTP/1.1 400 ")
        .containsIgnoringCase("\r\nContent-Security-Policy: default-src 'none';")
        .contains("target is no URI (Malformed escape pair at index 19: ");
    assertThat(rawResponse(base.getAuthority(), "http://" + base.getAuthority()))
        .startsWith("HTTP/1.1 403 ")
        .contains("target names a scheme or host");
    assertThat(rawResponse("evil.example", "*"))
        .startsWith("HTTP/1.1 403 ")
        .endsWith("{\"message\":\"this page answers only at http://" + base.getAuthority() + "\"}");
  }

  @Test
  void aBadPercentEscapeInTheQueryIsAnsweredNotDropped() throws Exception {
    // The page's server refuses a query java.net.URI cannot parse before its route runs
    // (Loopback); the page's own parsing refuses one too (with the reason), should any reach it.
    for (String path :
        List.of("/?token=%zz", "/?token=" + token + "&key=%", "/api/results?label=%E")) {
      assertThat(rawResponse(base.getAuthority(), path)).as(path).startsWith("HTTP/1.1 400 ");
    }
    Map<String, String> refusals = Map.of(
        "token=%zz", "the query's token has a '%' that starts no percent escape at position 0",
        "key=%", "the query's key has a '%' that starts no percent escape at position 0",
        "label=%E", "the query's label has a '%' that starts no percent escape at position 0",
        "%=a", "a query name has a '%' that starts no percent escape at position 0");
    refusals.forEach((query, message) -> assertThatThrownBy(() -> Requests.query(query))
        .as(query)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message));
  }

  @Test
  void aLongQueryNameOrNumberIsQuotedByItsStartNotWhole() {
    String name = "n".repeat(500);
    assertThatThrownBy(() -> Requests.query(name + "=1&" + name + "=2"))
        .hasMessageStartingWith(
            "the query names '" + "n".repeat(60) + "... (500 characters)' more than once");
    assertThatThrownBy(() -> Requests.takes(Map.of(name, "1"), "GET /api/results", "label"))
        .hasMessageStartingWith(
            "the query names '" + "n".repeat(60) + "... (500 characters)', which");
    assertThatThrownBy(() -> Requests.limit("9".repeat(500)))
        .hasMessageEndingWith("got '" + "9".repeat(60) + "... (500 characters)'");
  }

  @Test
  void aParameterGivenTwiceIsRefusedNotReadByItsFirst() throws Exception {
    // Before, the first was read: this stored a.png, and the check said a.png's answer.
    Map<String, String> withToken = Map.of(UiServer.TOKEN_HEADER, token);
    HttpResponse<String> upload = post("/api/upload?key=a.png&key=b.gif", withToken);
    assertThat(upload.statusCode()).isEqualTo(400);
    assertThat(upload.body())
        .isEqualTo("{\"message\":\"the query names 'key' more than once; give each parameter"
            + " once\"}");
    assertThat(uploads).isEmpty();
    assertThat(get("/api/upload/check?key=a.png&bytes=1&key=b.gif", withToken).statusCode())
        .isEqualTo(400);
    assertThat(get("/api/results?limit=1&limit=2", withToken).statusCode()).isEqualTo(400);
  }

  /**
   * The page's listing reads its values by GET /results's rule (ResultsQuery.Filter): a filter given blank, or a label
   * or key with blanks at an end, is a 400 whose message the page shows, never every result as if it had matched.
   * Before, the page's server read a blank filter as none and stripped the blanks.
   */
  @Test
  void aBlankFilterOrOneWithBlanksAtAnEndIsRefusedAsGetResultsRefusesIt() throws Exception {
    Map<String, String> withToken = Map.of(UiServer.TOKEN_HEADER, token);
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put(
        "/api/results?label=",
        "label= has no value; give one, or leave label out (a blank filter would list every"
            + " result)");
    refused.put(
        "/api/results?key=+",
        "key= has no value but blanks; give one, or leave key out (a blank filter would list"
            + " every result)");
    refused.put(
        "/api/results?status=",
        "status= has no value; give one, or leave status out (a blank filter would list every"
            + " result)");
    refused.put(
        "/api/results?key=%20photo",
        "key ' photo' has blanks at its start or end; give the key without them ('photo')");
    refused.put("/api/results?limit=", "limit= has no value; give one, or leave limit out");
    for (Map.Entry<String, String> e : refused.entrySet()) {
      HttpResponse<String> answer = get(e.getKey(), withToken);
      assertThat(answer.statusCode()).as(e.getKey()).isEqualTo(400);
      assertThat(answer.body()).as(e.getKey()).isEqualTo("{\"message\":\"" + e.getValue() + "\"}");
    }
  }

  @Test
  void aDataRouteRefusesAParameterItDoesNotTakeAndThePageIgnoresOne() throws Exception {
    // Before, a parameter a route does not take was ignored: ?lable=cat listed every result.
    Map<String, String> withToken = Map.of(UiServer.TOKEN_HEADER, token);
    HttpResponse<String> misspelt = get("/api/results?lable=cat", withToken);
    assertThat(misspelt.statusCode()).isEqualTo(400);
    assertThat(misspelt.body())
        .isEqualTo("{\"message\":\"the query names 'lable', which /api/results does not take;"
            + " it takes limit, label, status, key and next\"}");
    assertThat(get("/api/status?%3Cb%3E=1", withToken).body())
        .as("the name as the page's other refusals quote it, in HTML-safe JSON")
        .isEqualTo("{\"message\":\"the query names '\\u003cb\\u003e', which /api/status does not"
            + " take; it takes no parameters\"}");
    for (String path : List.of(
        "/api/ledger?days=14&x=1",
        "/api/thumb?key=cat.png&size=9",
        "/api/upload/check?key=a.png&bytes=1&size=1",
        "/api/results?limit=1&days=1")) {
      assertThat(get(path, withToken).statusCode()).as(path).isEqualTo(400);
    }
    assertThat(post("/api/upload?key=a.png&overwrite=1", withToken).statusCode())
        .isEqualTo(400);
    assertThat(post("/api/endpoint/stop?now=1", withToken).statusCode()).isEqualTo(400);
    assertThat(uploads).isEmpty();
    assertThat(actions).isEmpty();

    // What the page's script sends.
    for (String path : List.of(
        "/api/status",
        "/api/results?limit=60&label=cat&status=CLASSIFIED&key=cat.png",
        "/api/ledger?days=14",
        "/api/thumb?key=cat.png",
        "/api/upload/check?key=a.png&bytes=1")) {
      assertThat(get(path, withToken).statusCode()).as(path).isEqualTo(200);
    }
    // The page and its assets hold no data and read no parameter: a cache buster changes nothing.
    assertThat(get("/?v=2", Map.of()).statusCode()).isEqualTo(200);
    assertThat(get("/assets/app.js?v=2", Map.of()).statusCode()).isEqualTo(200);
  }

  @Test
  void aMethodARouteDoesNotTakeIs405WithTheMethodsItDoes() throws Exception {
    // Before, these 405s had no Allow header (RFC 9110 section 15.5.6: a 405 must have one).
    HttpResponse<String> head = http.send(
        HttpRequest.newBuilder(base.resolve("/"))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(405);
    assertThat(head.headers().allValues("Allow")).containsExactly("GET");

    Map<String, String> withToken = Map.of(UiServer.TOKEN_HEADER, token);
    Map<HttpResponse<String>, String> allowed = new LinkedHashMap<>();
    allowed.put(post("/assets/app.js", Map.of()), "GET");
    allowed.put(post("/api/status", withToken), "GET");
    allowed.put(post("/api/results", withToken), "GET");
    allowed.put(post("/api/ledger", withToken), "GET");
    allowed.put(post("/api/thumb?key=cat.png", withToken), "GET");
    allowed.put(post("/api/upload/check?key=a.png&bytes=1", withToken), "GET");
    allowed.put(get("/api/upload?key=a.png", withToken), "POST");
    allowed.put(get("/api/endpoint/stop", withToken), "POST");
    allowed.forEach((response, allow) -> {
      assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(405);
      assertThat(response.headers().allValues("Allow"))
          .as(response.uri().toString())
          .containsExactly(allow);
    });
    assertThat(uploads).isEmpty();
    assertThat(actions).isEmpty();
  }

  @Test
  void aKeySentAsRawUtf8IsTheKeyItsClientSentAndEscapesThatAreNotUtf8AreRefused() throws Exception {
    Map<String, String> withToken = Map.of(UiServer.TOKEN_HEADER, token);
    String key = "été/大京 crème.png";
    for (String sent : List.of(
        "été/大京%20crème.png",
        "%C3%A9t%C3%A9/%E5%A4%A7%E4%BA%AC%20cr%C3%A8me.png", "été/大%E4%BA%AC+crème.png")) {
      RawUtf8Request upload = RawUtf8Request.send(
          base.getPort(), "POST", "/api/upload?key=" + sent, withToken, new byte[] {1, 2, 3});
      assertThat(upload.status()).as(sent).isEqualTo(201);
      assertThat(upload.body()).contains("\"key\":\"" + key + "\"");
      assertThat(uploads).as(sent).containsOnlyKeys(key);
      uploads.clear();
    }

    RawUtf8Request latin1 = RawUtf8Request.send(
        base.getPort(),
        "POST",
        "/api/upload?key=\u00E9t\u00E9.png".getBytes(StandardCharsets.ISO_8859_1),
        withToken,
        new byte[] {1});
    assertThat(latin1.status()).isEqualTo(400);
    assertThat(latin1.body())
        .isEqualTo("{\"message\":\"the query has raw bytes that are not UTF-8: 0xE9 is cut short:"
            + " 0xE9 starts a character of 3 bytes; send text as UTF-8, its bytes as they are or"
            + " percent-encoded\"}");
    HttpResponse<String> escaped = post("/api/upload?key=%E9t%E9.png", withToken);
    assertThat(escaped.statusCode()).isEqualTo(400);
    assertThat(escaped.body())
        .as("URLDecoder would have stored it as '\uFFFDt\uFFFD.png'")
        .isEqualTo("{\"message\":\"the query's key has percent escapes that are not UTF-8: 0xE9"
            + " is cut short: 0xE9 starts a character of 3 bytes\"}");
    assertThat(uploads).isEmpty();
  }

  @Test
  void aThumbnailThatRunsOutOfMemoryIsAnsweredAndTheServerGoesOn() throws Exception {
    HttpResponse<String> thumb =
        get("/api/thumb?key=bomb.png", Map.of(UiServer.TOKEN_HEADER, token));
    assertThat(thumb.statusCode()).isEqualTo(503);
    assertThat(thumb.body())
        .isEqualTo("{\"message\":\"this request needed more memory than the page's server has;"
            + " try again\"}");
    assertThat(get("/api/status", Map.of(UiServer.TOKEN_HEADER, token)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aKeyWithControlCharactersGetsItsThumbnail() throws Exception {
    // Keys are what others uploaded: S3 takes a tab or an escape, so they get a thumbnail.
    assertThat(get("/api/thumb?key=cat%09%1B%5B31m.png", Map.of(UiServer.TOKEN_HEADER, token))
            .statusCode())
        .isEqualTo(200);
    HttpResponse<String> missing =
        get("/api/thumb?key=no%09such%1B.png", Map.of(UiServer.TOKEN_HEADER, token));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body())
        .as("shown in JSON, its control characters escaped")
        .doesNotContain("\t", "\u001b")
        .contains("no object no");
  }

  @Test
  void thumbnailsAreNeverStoredByTheBrowser() throws Exception {
    HttpResponse<String> thumb =
        get("/api/thumb?key=cat.png", Map.of(UiServer.TOKEN_HEADER, token));
    assertThat(thumb.statusCode()).isEqualTo(200);
    assertThat(thumb.headers().firstValue("content-type")).contains("image/jpeg");
    assertThat(thumb.headers().firstValue("cache-control")).contains("no-store");
  }

  private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, Map<String, String> headers) throws Exception {
    return post(path, headers, new byte[] {(byte) 0x89, 'P', 'N', 'G'});
  }

  private HttpResponse<String> post(String path, Map<String, String> headers, byte[] body)
      throws Exception {
    return send(base, path, headers, body);
  }

  /** A POST of {@code body} to {@code path} of the server at {@code to}. */
  private HttpResponse<String> send(URI to, String path, Map<String, String> headers, byte[] body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(to.resolve(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A request with the token sent by hand, so that the Host header can be anyone's. */
  private String rawStatusLine(String host, String path) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + UiServer.TOKEN_HEADER
              + ": " + token + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  /** A request sent by hand, read to its end (an empty string if the server dropped it). */
  private String rawResponse(String host, String path) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The page's data in memory: one result whose key is markup; it keeps the uploads and actions it is sent. */
  private final class Memory extends MemoryUiData {
    Memory() {
      super(UiServerTest::markupResult);
    }

    @Override
    public Thumbnail thumbnail(String key) throws UiException {
      if (key.equals("bomb.png")) {
        throw new OutOfMemoryError("Java heap space");
      }
      if (key.equals("cat.png") || key.equals(CONTROL_KEY)) {
        return new Thumbnail(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});
      }
      return super.thumbnail(key);
    }

    @Override
    public void upload(String key, byte[] bytes) {
      uploads.put(key, bytes);
    }

    @Override
    public Map<String, Object> control(String action) {
      actions.add(action);
      return Map.of("action", "DISABLE_MAPPING");
    }
  }

  private static Map<String, Object> markupResult() {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("key", XSS_KEY);
    result.put("status", "REJECTED");
    result.put("reason", "unsupported format: <script>alert(2)</script>");
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("results", List.of(result));
    page.put("next", null);
    return page;
  }
}
