package offhours.local.model;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark, not a test: per-image latency of the built-in container (decode + preprocess + inference, in
 * process and over HTTP) against ONNX Runtime inference alone on the same preprocessed tensors, interleaved in
 * one run so both see the same machine load. Prints a table; the target is overhead <= 50% of inference.
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=offhours.local.model.ContainerBench \
 *     [-Dexec.args="ITERATIONS [--cold]"]
 * </pre>
 * {@code --cold} also times fetching and converting the default model into an empty cache (needs npm).
 */
public final class ContainerBench {
  private static final List<String> IMAGES = List.of("chelsea.png", "coffee.png", "rocket.jpg");

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    if (Arrays.asList(args).contains("--cold")) {
      Path cold = Files.createTempDirectory("offhours-bench-cache");
      try {
        long t = System.nanoTime();
        DefaultModel.ensure(cold);
        System.out.printf("cold fetch + unpack + convert of the default model: %.0f ms%n", (System.nanoTime() - t) / 1e6);
      } finally {
        try (var files = Files.walk(cold)) {
          for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    }
    ModelFiles model = ModelFixtures.defaultModel();
    long t0 = System.nanoTime();
    try (OnnxContainer container = OnnxContainer.start(model.onnx(), 0)) {
      System.out.printf("container start (ONNX Runtime session load): %.0f ms%n", (System.nanoTime() - t0) / 1e6);
      HttpClient http = HttpClient.newHttpClient();
      ImagePreprocessor preprocessor = container.preprocessor();
      Map<String, byte[]> bytes = new LinkedHashMap<>();
      Map<String, FloatBuffer> tensors = new LinkedHashMap<>();
      for (String name : IMAGES) {
        byte[] b = Files.readAllBytes(Path.of("src/demo/images", name));
        bytes.put(name, b);
        FloatBuffer t = ByteBuffer.allocateDirect(preprocessor.tensorSize() * 4).order(ByteOrder.nativeOrder())
            .asFloatBuffer();
        preprocessor.preprocess(b, t);
        tensors.put(name, t);
      }
      Map<String, long[][]> samples = new LinkedHashMap<>(); // [infer, in-process, http][iteration]
      for (String name : IMAGES) {
        samples.put(name, new long[3][iterations]);
      }
      int warmup = Math.max(10, iterations / 5);
      for (int i = -warmup; i < iterations; i++) {
        for (String name : IMAGES) {
          long a = System.nanoTime();
          container.infer(tensors.get(name));
          long b = System.nanoTime();
          container.classify(bytes.get(name));
          long c = System.nanoTime();
          var response = http.send(HttpRequest.newBuilder(container.baseUri().resolve("/invocations"))
              .header("Content-Type", "application/x-image")
              .POST(HttpRequest.BodyPublishers.ofByteArray(bytes.get(name))).build(), BodyHandlers.ofString());
          long d = System.nanoTime();
          if (response.statusCode() != 200) {
            throw new IllegalStateException(name + ": HTTP " + response.statusCode() + " " + response.body());
          }
          if (i >= 0) {
            samples.get(name)[0][i] = b - a;
            samples.get(name)[1][i] = c - b;
            samples.get(name)[2][i] = d - c;
          }
        }
      }
      System.out.printf("%d iterations per image after %d warm-up, %d cores%n%n", iterations, warmup,
          Runtime.getRuntime().availableProcessors());
      System.out.println("| image | size | inference p50 / p95 ms | container in-process p50 / p95 ms"
          + " | container over HTTP p50 / p95 ms | overhead in-process p50 | overhead HTTP p50 |");
      System.out.println("|---|---|---|---|---|---|---|");
      for (String name : IMAGES) {
        long[][] s = samples.get(name);
        var pixels = ImagePreprocessor.decode(bytes.get(name));
        double infer = pct(s[0], 50);
        System.out.printf("| %s | %dx%d | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.0f%% | %.0f%% |%n", name,
            pixels.width(), pixels.height(), infer, pct(s[0], 95), pct(s[1], 50), pct(s[1], 95), pct(s[2], 50),
            pct(s[2], 95), 100 * (pct(s[1], 50) - infer) / infer, 100 * (pct(s[2], 50) - infer) / infer);
      }
    }
  }

  private static double pct(long[] nanos, int p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }
}
