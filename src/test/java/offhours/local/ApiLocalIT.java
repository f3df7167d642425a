// Needs moto_server on the PATH (or in ~/.pyenv/shims), and node/npm for the first conversion of
// the default model into the user's offhours cache, which the stacks' own cache links to (see
// StackFixture.cache).
package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import offhours.testing.MarkdownSections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API over real HTTP in local mode: the local front speaks API Gateway's payload format 2.0 to the same
 * handler the Lambda function runs, against moto_server, the local SageMaker with the default model and the real
 * controller. While the endpoint is off POST /classify answers 202 and the image waits in the queue; once it is on,
 * the waiting image gets its result and POST /classify answers 200 with labels.
 */
class ApiLocalIT {

  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final Path IMAGES = Path.of("src/test/resources/images");

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void classifyQueuesWhileTheEndpointIsOffAndAnswersWithLabelsOnceItIsOn() throws Exception {
    try (StackFixture f = StackFixture.start(
        StackFixture.options(Duration.ofSeconds(2), StackFixture.OFF_UNLESS_STARTED))) {
      Api api = new Api(f.stack.apiEndpoint(), f.stack.apiToken());
      JsonNode off =
          f.awaitValue("the controller's first decision in GET /status", DEADLINE, () -> {
            JsonNode s = api.json("GET", "/status", null, 200);
            return s.at("/endpoint/state").asText().equals("UNKNOWN") ? null : s;
          });
      assertThat(off.at("/endpoint/state").asText()).as("GET /status: %s", off).isEqualTo("ABSENT");
      assertThat(off.at("/trigger/state").asText()).isEqualTo("DISABLED");
      assertThat(off.at("/nextUpload/startsAt").isNull())
          .as("nothing starts the endpoint: %s", off)
          .isTrue();

      HttpResponse<String> queued = api.send(
          "POST", "/classify", Files.readAllBytes(IMAGES.resolve("chelsea.png")), "image/png");
      assertThat(queued.statusCode())
          .as("POST /classify while off: %s", queued.body())
          .isEqualTo(202);
      JsonNode q = StackFixture.json(queued.body());
      String key = q.get("key").asText();
      assertThat(key).startsWith("api/").endsWith(".png");
      assertThat(q.get("result").asText()).isEqualTo(f.stack.apiEndpoint() + "/results/" + key);
      assertThat(queued.headers().firstValue("location")).contains("/results/" + key);
      assertThat(queued.headers().firstValue("retry-after"))
          .as("nothing will start the endpoint: ask again in an hour")
          .contains("3600");
      assertThat(q.get("reason").asText())
          .contains("the endpoint cannot answer now (the endpoint is off")
          .contains("nothing will start it")
          .as("offhours' words, not SageMaker's, which name the account")
          .doesNotContain("123456789012")
          .doesNotContain("ValidationError");

      JsonNode waiting = api.json("GET", "/results/" + key, null, 200);
      assertThat(waiting.get("state").asText())
          .as("GET /results/%s: %s", key, waiting)
          .isEqualTo("WAITING");
      assertThat(waiting.get("reason").asText()).contains("in the queue:");
      f.await(
          "the queued image's notification in the queue",
          DEADLINE,
          () -> f.queue().visible() == 1);
      assertThat(f.results()).as("no result while the endpoint is off").isEmpty();

      f.override("start");
      JsonNode done = f.awaitValue("a result for the queued image", DEADLINE, () -> {
        JsonNode r = api.json("GET", "/results/" + key, null, 200);
        return r.get("state").asText().equals("DONE") ? r : null;
      });
      assertThat(done.at("/results/0/status").asText()).as("%s", done).isEqualTo("CLASSIFIED");
      assertThat(done.at("/results/0/labels")).hasSize(3);

      HttpResponse<String> now = api.send(
          "POST", "/classify", Files.readAllBytes(IMAGES.resolve("rocket.jpg")), "image/jpeg");
      assertThat(now.statusCode()).as("POST /classify while on: %s", now.body()).isEqualTo(200);
      JsonNode labels = StackFixture.json(now.body());
      assertThat(labels.get("state").asText()).isEqualTo("CLASSIFIED");
      assertThat(labels.get("labels")).hasSize(3);
      assertThat(labels.get("topLabel").asText())
          .isEqualTo(labels.at("/labels/0/label").asText());

      HttpResponse<String> truncated = api.send(
          "POST", "/classify", Files.readAllBytes(IMAGES.resolve("truncated.jpg")), "image/jpeg");
      assertThat(truncated.statusCode())
          .as("a truncated JPEG: %s", truncated.body())
          .isEqualTo(422);
      assertThat(StackFixture.json(truncated.body()).get("message").asText())
          .startsWith("the model could not read the image");

      JsonNode on = api.json("GET", "/status", null, 200);
      assertThat(on.at("/endpoint/state").asText())
          .as("GET /status: %s", on)
          .isEqualTo("IN_SERVICE");
      assertThat(on.at("/trigger/state").asText()).isEqualTo("ENABLED");
      assertThat(on.at("/ledger/starts").asLong()).isEqualTo(1);
      assertThat(on.at("/deadLetterQueue/messages").asLong()).isZero();
    }
  }

  @Test
  void resultsAreFoundByEncodedKeyAndPagedNewestFirstByLabelAndOverall(@TempDir Path dir)
      throws Exception {
    // The default model's five classes, each named with a comma (as ImageNet's "tabby, tabby cat").
    Path labels = Files.writeString(
        dir.resolve("labels.txt"),
        "Drawing, sketch\nHentai, anime\nNeutral, safe\nPorn, explicit\nSexy, suggestive\n");
    LocalDeployment.Options options = StackFixture.options(Duration.ofSeconds(1), Map.of());
    try (StackFixture f = StackFixture.start(new LocalDeployment.Options(
        options.cacheDir(),
        Optional.empty(),
        Optional.of(labels),
        Optional.empty(),
        options.creatingDelay(),
        Duration.ofSeconds(1),
        Map.of()))) {
      Api api = new Api(f.stack.apiEndpoint(), f.stack.apiToken());
      String odd = "holiday photos/café au lait + 100%.png";
      String question = "questions/a?b.png";
      String plain = "写真/🚀 rocket.png";
      String punctuated = "tags/#1, draft+final.png";
      f.upload(odd, IMAGES.resolve("chelsea.png"));
      f.upload(question, IMAGES.resolve("chelsea.png"));
      f.upload(plain, IMAGES.resolve("chelsea.png"));
      f.upload(punctuated, IMAGES.resolve("chelsea.png"));
      f.upload("broken.jpg", IMAGES.resolve("truncated.jpg"));
      List<String> copies = f.uploadCopies("copies", 6);
      f.upload("notes.txt", IMAGES.resolve("chelsea.png"));
      f.await("results for the 11 images", DEADLINE, () -> f.results().size() == 11);

      for (String key : List.of(odd, question, plain, punctuated)) {
        JsonNode byObject = api.json("GET", "/results?object=" + queryOf(key), null, 200);
        assertThat(byObject.get("key").asText()).isEqualTo(key);
        assertThat(byObject.get("state").asText()).isEqualTo("DONE");
      }
      JsonNode byPath = api.json("GET", "/results/" + pathOf(plain), null, 200);
      assertThat(byPath.get("key").asText())
          .as("a key of letters, a space and '/'")
          .isEqualTo(plain);
      assertThat(byPath.get("state").asText()).isEqualTo("DONE");
      assertThat(api.json("GET", "/results/" + pathOf("tags/#1, draft.png"), null, 404)
              .get("message")
              .asText())
          .as("'#' and ',' travel in the path")
          .startsWith("s3://offhours-images/tags/#1, draft.png does not exist");
      assertThat(api.json(
                  "GET",
                  "/results?object=" + queryOf(punctuated) + "&object=" + queryOf(plain),
                  null,
                  400)
              .get("message")
              .asText())
          .isEqualTo("the request could not be read: the query names 'object' more than once;"
              + " give each parameter once (a value may hold commas: URL-encode it as %2C or"
              + " leave it as it is)");
      // In the path, as API Gateway decodes it: '%' is refused, '?' ends the key.
      assertThat(api.json("GET", "/results/" + pathOf(odd), null, 400)
              .get("message")
              .asText())
          .contains("an HTTP API decodes it twice")
          .endsWith("name a key with '%' or '?' as GET /results?object=KEY");
      assertThat(api.json("GET", "/results/" + pathOf(question), null, 404)
              .get("message")
              .asText())
          .startsWith("s3://offhours-images/questions/a does not exist");
      assertThat(api.json("GET", "/results?object=a.png&label=Neutral", null, 400)
              .get("message")
              .asText())
          .startsWith("object= names one object and cannot be combined with the listing's label");
      assertThat(api.json("GET", "/results/broken.jpg", null, 200)
              .at("/results/0/reason")
              .asText())
          .startsWith("the model could not read the image");
      assertThat(api.json("GET", "/results/notes.txt", null, 200).get("state").asText())
          .isEqualTo("NOT_QUEUED");
      assertThat(api.json("GET", "/results/" + pathOf("no such photo.png"), null, 404)
              .get("message")
              .asText())
          .isEqualTo(
              "s3://offhours-images/no such photo.png does not exist and has no result; keys are case-sensitive,"
                  + " and GET /results?object=KEY (URL-encoded) names any key exactly, the path form only"
                  + " keys without '%' or '?'");

      List<JsonNode> all = pages(api, "/results?limit=3");
      List<String> newestFirst = f.results().stream()
          .sorted(Comparator.comparing(offhours.results.ResultItem::classifiedAt)
              .reversed()
              .thenComparing(offhours.results.ResultItem::pk, Comparator.reverseOrder()))
          .map(offhours.results.ResultItem::key)
          .toList();
      assertThat(all)
          .extracting(r -> r.get("key").asText())
          .as("every result once, newest first, in pages of 3")
          .containsExactlyElementsOf(newestFirst);

      String label = all.stream()
          .filter(r -> r.get("status").asText().equals("CLASSIFIED"))
          .collect(Collectors.groupingBy(r -> r.get("topLabel").asText(), Collectors.counting()))
          .entrySet()
          .stream()
          .max(Map.Entry.comparingByValue())
          .orElseThrow()
          .getKey();
      assertThat(label).as("the labels file's names").contains(", ");
      List<JsonNode> labelled =
          pages(api, "/results?limit=1&label=" + URLEncoder.encode(label, StandardCharsets.UTF_8));
      String[] halves = label.split(",", 2);
      assertThat(api.json(
                  "GET",
                  "/results?label=" + queryOf(halves[0]) + "&label=" + queryOf(halves[1]),
                  null,
                  400)
              .get("message")
              .asText())
          .as("the label in two parameters, which API Gateway would join into the label")
          .startsWith("the request could not be read: the query names 'label' more than once");
      assertThat(labelled)
          .extracting(r -> r.get("key").asText())
          .as("label %s, one per page", label)
          .containsExactlyElementsOf(all.stream()
              .filter(r -> r.path("topLabel").asText().equals(label))
              .map(r -> r.get("key").asText())
              .toList());
      assertThat(pages(api, "/results?status=REJECTED&limit=5"))
          .extracting(r -> r.get("key").asText())
          .containsExactly("broken.jpg");
      assertThat(pages(api, "/results?key=copies/&limit=2"))
          .extracting(r -> r.get("key").asText())
          .containsExactlyInAnyOrderElementsOf(copies);

      // The README's examples ask for two of the demo's photos, under their names in
      // src/demo/images.
      f.upload("chelsea.png", IMAGES.resolve("chelsea.png"));
      f.upload("café au lait + 100%.png", IMAGES.resolve("chelsea.png"));
      f.upload("holiday/chelsea.png", IMAGES.resolve("chelsea.png"));
      f.await("results for the demo's photos", DEADLINE, () -> f.results().size() == 14);
      // The README's uploads are classified at once (200) while the endpoint serves; without a
      // manual start the controller could stop it between them, once the queue has drained.
      f.override("start");
      f.await("the endpoint held on by a manual start", DEADLINE, () -> {
        JsonNode s = api.json("GET", "/status", null, 200);
        return s.at("/endpoint/state").asText().equals("IN_SERVICE")
            && s.at("/trigger/state").asText().equals("ENABLED");
      });
      Map<String, String> env = new HashMap<>();
      env.put("OFFHOURS_API", f.stack.apiEndpoint().toString());
      env.put("OFFHOURS_API_TOKEN", f.stack.apiToken());
      // Deploy on AWS step 5's $API and credentials, the local stack's.
      env.put("API", f.stack.apiEndpoint().toString());
      env.put("AWS_ACCESS_KEY_ID", f.stack.credentials().accessKeyId());
      env.put("AWS_SECRET_ACCESS_KEY", f.stack.credentials().secretAccessKey());
      List<Script> local =
          readmeCurlScripts(MarkdownSections.readme("### The HTTP API"), List.of());
      assertThat(local)
          .as("the local section's lines: the token's and the signed ones")
          .anyMatch(c -> c.line().contains("Bearer"))
          .anyMatch(c -> c.prelude().contains("--aws-sigv4"));
      List<Script> deployed = deployedCurlScripts();
      for (Script script : concat(local, deployed)) {
        assertThat(curl(script, env)).as("README: %s", script.line()).startsWith("200 {");
      }
      // With temporary credentials the SIGN lines add the session token, which curl signs.
      Map<String, String> session = new HashMap<>(env);
      session.put("AWS_SESSION_TOKEN", "a-session-token");
      assertThat(curl(deployed.getFirst(), session))
          .as("README with a session token: %s", deployed.getFirst().line())
          .startsWith("200 {");
      formsCurlSignsAsTypedAreRefused(deployed.getFirst().prelude(), env);

      assertThat(api.json("GET", "/results?limit=0", null, 400).get("message").asText())
          .isEqualTo("limit must be a whole number from 1 to 100 in digits 0-9, got '0'");
      String next = api.json("GET", "/results?limit=1", null, 200).get("next").asText();
      assertThat(api.json("GET", "/results?limit=1&status=REJECTED&next=" + next, null, 400)
              .get("message")
              .asText())
          .startsWith("next is not a token of this query");
    }
  }

  @Test
  void theLocalFrontRefusesWhatApiGatewayWouldAndWhatNoLocalServiceShouldAccept() throws Exception {
    try (StackFixture f = StackFixture.start(
        StackFixture.options(Duration.ofSeconds(1), StackFixture.OFF_UNLESS_STARTED))) {
      URI base = f.stack.apiEndpoint();
      Api api = new Api(base, f.stack.apiToken());
      Api stranger = new Api(base, "0".repeat(64));
      HttpResponse<String> wrongToken = stranger.send("GET", "/status", null, null);
      assertThat(wrongToken.statusCode()).as("a wrong token").isEqualTo(401);
      assertThat(StackFixture.json(wrongToken.body()).get("message").asText())
          .startsWith("send 'Authorization: Bearer TOKEN' with the token of this local stack");
      HttpResponse<String> fromAPage = http.send(
          HttpRequest.newBuilder(base.resolve("/status"))
              .header("Authorization", "Bearer " + f.stack.apiToken())
              .header("Origin", "https://evil.example")
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(fromAPage.statusCode())
          .as("a request from a web page: %s", fromAPage.body())
          .isEqualTo(403);
      assertThat(StackFixture.json(fromAPage.body()).get("message").asText())
          .isEqualTo("requests from web pages (with an Origin header) are refused");
      String rebound = rawResponse(base, "evil.example:" + base.getPort(), f.stack.apiToken());
      assertThat(rebound.lines().findFirst().orElseThrow())
          .as("a DNS-rebound Host")
          .contains(" 403 ");
      assertThat(rebound)
          .contains("\"message\":\"Host 'evil.example:" + base.getPort()
              + "' is not this server; call " + base + "\"");
      assertThat(rawResponse(base, base.getAuthority(), f.stack.apiToken()))
          .startsWith("HTTP/1.1 200 ");

      assertThat(api.send("GET", "/health", null, null).statusCode())
          .as("no such route")
          .isEqualTo(404);
      assertThat(api.send("DELETE", "/status", null, null).statusCode())
          .as("no such method")
          .isEqualTo(404);
      HttpResponse<String> gif = api.send(
          "POST",
          "/classify",
          "GIF89a\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1),
          "image/gif");
      assertThat(gif.statusCode()).isEqualTo(415);
      // 4.8 MB is 6.4 MB in base64: Lambda refuses the event, API Gateway answers for the function.
      byte[] overLambda = new byte[4_800_000];
      System.arraycopy(Files.readAllBytes(IMAGES.resolve("chelsea.png")), 0, overLambda, 0, 8);
      HttpResponse<String> large = api.send("POST", "/classify", overLambda, "image/png");
      assertThat(large.statusCode()).as("over Lambda's 6 MB: %s", large.body()).isEqualTo(500);
      assertThat(StackFixture.json(large.body()).get("message").asText())
          .startsWith("Internal Server Error: the request is ")
          .endsWith("Lambda invokes with at most 6291456, so the function did not run");
      assertThat(f.stack
              .s3()
              .listObjectsV2(r -> r.bucket(f.stack.resources().bucket()).prefix("api/"))
              .keyCount())
          .as("nothing stored: the function did not run")
          .isZero();
      assertThat(api.send("POST", "/classify", new byte[10 * 1024 * 1024 + 1], "image/png")
              .statusCode())
          .as("over API Gateway's 10 MB")
          .isEqualTo(413);
    }
  }

  /** A README curl line and the other lines of its code block before it (the SIGN array, a key's encoding). */
  private record Script(String prelude, String line) {}

  /**
   * The curl lines of {@code section}'s code blocks, each with its block's other lines but those starting with one of
   * {@code skipped} (each must be there), which the test does in their place.
   */
  private static List<Script> readmeCurlScripts(String section, List<String> skipped) {
    List<Script> scripts = new ArrayList<>();
    List<String> skips = new ArrayList<>();
    List<String> block = null;
    for (String raw : section.lines().toList()) {
      String line = raw.strip();
      if (line.startsWith("```")) {
        if (block != null && block.stream().anyMatch(l -> l.startsWith("curl "))) {
          List<String> prelude = new ArrayList<>();
          for (String l : block) {
            if (l.startsWith("curl ")) {
              scripts.add(new Script(String.join("\n", prelude), l));
            } else if (skipped.stream().anyMatch(l::startsWith)) {
              skips.add(l);
            } else {
              prelude.add(l);
            }
          }
        }
        block = block == null ? new ArrayList<>() : null;
      } else if (block != null && !line.isEmpty()) {
        block.add(line);
      }
    }
    assertThat(scripts).as("curl lines in the README section").hasSizeGreaterThanOrEqualTo(4);
    assertThat(skips).as("the lines the test does itself").hasSameSizeAs(skipped);
    return scripts;
  }

  /**
   * Deploy on AWS step 5's curl lines, signed with curl's --aws-sigv4, for the local stack's region; the lines that
   * read the API's URL and the credentials from AWS are the test's own.
   */
  private static List<Script> deployedCurlScripts() {
    List<Script> scripts = readmeCurlScripts(
            MarkdownSections.readme("## Deploy on AWS"),
            List.of(
                "API=$(aws cloudformation describe-stacks",
                "eval \"$(aws configure export-credentials"))
        .stream()
        .filter(s -> s.line().contains("$API/"))
        .map(s -> new Script(
            s.prelude().replace("us-east-1", LocalDeployment.REGION),
            s.line().replace("us-east-1", LocalDeployment.REGION)))
        .toList();
    assertThat(scripts)
        .as("step 5's lines")
        .hasSizeGreaterThanOrEqualTo(5)
        .allMatch(s ->
            s.prelude().contains("--aws-sigv4 aws:amz:" + LocalDeployment.REGION + ":execute-api"))
        .anyMatch(s -> s.line().contains("$API/results/"))
        .anyMatch(s -> s.line().contains("$API/results?object="));
    return scripts;
  }

  /**
   * What README says curl before 8.3 signs as typed, and API Gateway canonically, gets API Gateway's 403: a key by
   * --data-urlencode (a space as '+', lower-case hex), a key as raw UTF-8, parameters out of name order, an escape in
   * the path, and a '//' in it, which AWS's rule reads as one '/'. A later curl canonicalizes the query itself; its
   * forms are not claimed.
   */
  private static void formsCurlSignsAsTypedAreRefused(String sign, Map<String, String> env)
      throws Exception {
    Process version = new ProcessBuilder("curl", "--version").start();
    Matcher m = Pattern.compile("^curl (\\d+)\\.(\\d+)")
        .matcher(new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    assertThat(m.find()).isTrue();
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    if (major > 8 || major == 8 && minor >= 3) {
      return;
    }
    for (String line : List.of(
        "curl -sS \"${SIGN[@]}\" --get --data-urlencode \"object=holiday photos/café au lait + 100%.png\""
            + " \"$API/results\"",
        "curl -sS \"${SIGN[@]}\" \"$API/results?object=holiday%20photos%2Fcafé%20au%20lait%20%2B%20100%25.png\"",
        "curl -sS \"${SIGN[@]}\" \"$API/results?limit=5&label=Neutral\"",
        "curl -sS \"${SIGN[@]}\" \"$API/results/holiday%20photos/chelsea.png\"",
        "curl -sS \"${SIGN[@]}\" \"$API/results/holiday//chelsea.png\"")) {
      assertThat(curl(new Script(sign, line), env))
          .as("curl %s.%s: %s", major, minor, line)
          .isEqualTo(
              "403 {\"message\":\"The request signature we calculated does not match the signature"
                  + " you provided. Check your AWS Secret Access Key and signing method. Consult the service"
                  + " documentation for details.\"}");
    }
  }

  private static List<Script> concat(List<Script> a, List<Script> b) {
    List<Script> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Runs a README line as a user would, in bash from the repository, after its block's lines, with {@code env}. */
  private static String curl(Script script, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(
            "bash",
            "-c",
            script.prelude() + "\n" + script.line()
                + " -o \"$BODY\" -w '%{http_code} ' && cat \"$BODY\"")
        .redirectErrorStream(true);
    Path body = Files.createTempFile("api-body", ".json");
    pb.environment().remove("AWS_SESSION_TOKEN");
    pb.environment().putAll(env);
    pb.environment().put("BODY", body.toString());
    Process process = pb.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("%s: %s", script.line(), out).isZero();
    Files.delete(body);
    return out;
  }

  /** Follows 'next' from {@code first} to the last page; every result of every page, in order. */
  private static List<JsonNode> pages(Api api, String first) throws Exception {
    List<JsonNode> all = new ArrayList<>();
    String path = first;
    for (int page = 0; page < 50; page++) {
      JsonNode answer = api.json("GET", path, null, 200);
      StreamSupport.stream(answer.get("results").spliterator(), false).forEach(all::add);
      if (answer.get("next").isNull()) {
        return all;
      }
      path = first + "&next=" + answer.get("next").asText();
    }
    throw new AssertionError("more than 50 pages from " + first);
  }

  /** {@code key} percent-encoded for a path, its '/' kept. */
  private static String pathOf(String key) {
    return queryOf(key).replace("%2F", "/");
  }

  /** {@code key} percent-encoded for a query value (a space as %20, never '+'). */
  private static String queryOf(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A GET /status sent by hand, so that the Host header can be anyone's. */
  private static String rawResponse(URI base, String host, String token) throws Exception {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /status HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token
              + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Requests to the local API with its token. */
  private final class Api {
    private final URI base;
    private final String token;

    Api(URI base, String token) {
      this.base = base;
      this.token = token;
    }

    HttpResponse<String> send(String method, String path, byte[] body, String contentType)
        throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
          .header("Authorization", "Bearer " + token)
          .timeout(Duration.ofSeconds(60))
          .method(
              method,
              body == null
                  ? HttpRequest.BodyPublishers.noBody()
                  : HttpRequest.BodyPublishers.ofByteArray(body));
      if (contentType != null) {
        request.header("Content-Type", contentType);
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The JSON answer, which must have {@code status}. */
    JsonNode json(String method, String path, byte[] body, int status) {
      try {
        HttpResponse<String> response = send(method, path, body, null);
        assertThat(response.statusCode())
            .as("%s %s answered %s", method, path, response.body())
            .isEqualTo(status);
        assertThat(response.headers().firstValue("content-type"))
            .contains("application/json; charset=utf-8");
        return StackFixture.json(response.body());
      } catch (AssertionError e) {
        throw e;
      } catch (Exception e) {
        throw new AssertionError(method + " " + path + " failed at " + Instant.now() + ": " + e, e);
      }
    }
  }
}
