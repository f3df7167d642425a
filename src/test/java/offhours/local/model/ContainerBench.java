package offhours.local.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark, not a test: per-image latency of the built-in container (decode + preprocess + inference, in
 * process and over HTTP) against ONNX Runtime inference alone on the same preprocessed tensors, interleaved in
 * one run so both see the same machine load. Prints a table; the target is an overhead of at most 50% of inference.
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=offhours.local.model.ContainerBench \
 *     [-Dexec.args="ITERATIONS [--cold]"]
 * </pre>
 * {@code --cold} also times fetching and converting the default model into an empty cache (needs npm).
 */
public final class ContainerBench {
  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    if (Arrays.asList(args).contains("--cold")) {
      Path cold = Files.createTempDirectory("offhours-bench-cache");
      try {
        long t = System.nanoTime();
        DefaultModel.ensure(cold);
        System.out.printf(
            "cold fetch + unpack + convert of the default model: %.0f ms%n",
            (System.nanoTime() - t) / 1e6);
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
      System.out.printf(
          "container start (ONNX Runtime session load): %.0f ms%n", (System.nanoTime() - t0) / 1e6);
      List<ContainerMeasurements.Row> rows =
          ContainerMeasurements.latency(container, Path.of("src/demo/images"), iterations, true);
      System.out.printf(
          "%d iterations per image after %d warm-up, %d cores%n%n",
          iterations, Math.max(10, iterations / 5), Runtime.getRuntime().availableProcessors());
      System.out.println(
          "| image | size | inference p50 / p95 ms | container in-process p50 / p95 ms"
              + " | container over HTTP p50 / p95 ms | overhead in-process p50 | overhead HTTP p50 |");
      System.out.println("|---|---|---|---|---|---|---|");
      for (ContainerMeasurements.Row r : rows) {
        double infer = pct(r.infer(), 50);
        System.out.printf(
            "| %s | %dx%d | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.0f%% | %.0f%% |%n",
            r.image(),
            r.width(),
            r.height(),
            infer,
            pct(r.infer(), 95),
            pct(r.inProcess(), 50),
            pct(r.inProcess(), 95),
            pct(r.http(), 50),
            pct(r.http(), 95),
            100 * r.overheadP50(),
            100 * (pct(r.http(), 50) - infer) / infer);
      }
    }
  }

  private static double pct(double[] millis, int p) {
    return ContainerMeasurements.pct(millis, p);
  }
}
