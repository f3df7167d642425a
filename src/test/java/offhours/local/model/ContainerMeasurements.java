package offhours.local.model;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What ContainerBench and the bench command measure about the built-in container, in one place: per-image
 * latency (inference alone, the whole container in process, over HTTP) and inference-only throughput.
 * Benchmark code, not a test: it prints nothing and asserts nothing.
 */
public final class ContainerMeasurements {

  /** The demo photos the container benchmarks use (valid images the model classifies). */
  public static final List<String> IMAGES = List.of("chelsea.png", "coffee.png", "rocket.jpg");

  /** Latencies of one image in milliseconds; {@code http} is empty when not measured. */
  public record Row(
      String image, int width, int height, double[] infer, double[] inProcess, double[] http) {
    public double overheadP50() {
      return (pct(inProcess, 50) - pct(infer, 50)) / pct(infer, 50);
    }
  }

  private ContainerMeasurements() {}

  /** The default model from the user's cache (fetched and converted on first use). */
  public static ModelFiles defaultModel() throws IOException {
    return ModelFixtures.defaultModel();
  }

  /**
   * Interleaves inference alone, the container in process and (if {@code overHttp}) the container over HTTP
   * for each image, so all three see the same machine load.
   */
  public static List<Row> latency(
      OnnxContainer container, Path imageDir, int iterations, boolean overHttp) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Map<String, byte[]> bytes = read(imageDir);
    Map<String, FloatBuffer> tensors = tensors(container.classifier().preprocessor(), bytes);
    Map<String, long[][]> samples = new LinkedHashMap<>();
    bytes.keySet().forEach(name -> samples.put(name, new long[3][iterations]));
    int warmup = Math.max(10, iterations / 5);
    for (int i = -warmup; i < iterations; i++) {
      for (String name : bytes.keySet()) {
        long a = System.nanoTime();
        container.classifier().infer(tensors.get(name));
        long b = System.nanoTime();
        container.classifier().classify(bytes.get(name));
        long c = System.nanoTime();
        if (overHttp) {
          var response = http.send(
              HttpRequest.newBuilder(container.baseUri().resolve("/invocations"))
                  .header("Content-Type", "application/x-image")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(bytes.get(name)))
                  .build(),
              BodyHandlers.ofString());
          if (response.statusCode() != 200) {
            throw new IllegalStateException(
                name + ": HTTP " + response.statusCode() + " " + response.body());
          }
        }
        long d = System.nanoTime();
        if (i >= 0) {
          samples.get(name)[0][i] = b - a;
          samples.get(name)[1][i] = c - b;
          samples.get(name)[2][i] = d - c;
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (String name : bytes.keySet()) {
      long[][] s = samples.get(name);
      var pixels = ImagePreprocessor.decode(bytes.get(name));
      rows.add(new Row(
          name,
          pixels.width(),
          pixels.height(),
          millis(s[0]),
          millis(s[1]),
          overHttp ? millis(s[2]) : new double[0]));
    }
    return rows;
  }

  /**
   * Images per second that ONNX Runtime alone sustains on the preprocessed tensors of {@code images}, with
   * {@code threads} callers at once (as many as the container's request threads), for {@code duration}.
   */
  public record Throughput(double perSecond, long images) {}

  public static Throughput inferenceThroughput(
      OnnxContainer container, Path imageDir, List<String> images, int threads, Duration duration)
      throws Exception {
    Map<String, byte[]> bytes = read(imageDir, images);
    List<FloatBuffer> tensors =
        new ArrayList<>(tensors(container.classifier().preprocessor(), bytes).values());
    for (FloatBuffer t : tensors) { // warm-up
      container.classifier().infer(t);
    }
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + duration.toNanos();
    CountDownLatch finished = new CountDownLatch(threads);
    List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int offset = t;
      Thread.ofPlatform().daemon().start(() -> {
        try {
          // Each thread needs its own tensor buffers: ONNX Runtime reads them in place.
          List<FloatBuffer> own = new ArrayList<>();
          for (FloatBuffer src : tensors) {
            FloatBuffer copy = ByteBuffer.allocateDirect(src.capacity() * Float.BYTES)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
            copy.put(src.duplicate().rewind());
            own.add(copy);
          }
          for (int i = offset; System.nanoTime() < end; i++) {
            container.classifier().infer(own.get(i % own.size()));
            done.incrementAndGet();
          }
        } catch (Throwable e) {
          errors.add(e);
        } finally {
          finished.countDown();
        }
      });
    }
    finished.await();
    if (!errors.isEmpty()) {
      throw new IllegalStateException("inference failed", errors.getFirst());
    }
    return new Throughput(done.get() / ((System.nanoTime() - start) / 1e9), done.get());
  }

  /** How many requests the container serves at once (its worker threads). */
  public static int containerThreads() {
    return OnnxContainer.workerThreads();
  }

  public static double pct(double[] millis, int p) {
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)];
  }

  private static Map<String, byte[]> read(Path dir) throws IOException {
    return read(dir, IMAGES);
  }

  private static Map<String, byte[]> read(Path dir, List<String> images) throws IOException {
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    for (String name : images) {
      bytes.put(name, Files.readAllBytes(dir.resolve(name)));
    }
    return bytes;
  }

  private static Map<String, FloatBuffer> tensors(
      ImagePreprocessor preprocessor, Map<String, byte[]> bytes)
      throws ImagePreprocessor.UndecodableImageException {
    Map<String, FloatBuffer> tensors = new LinkedHashMap<>();
    for (var e : bytes.entrySet()) {
      FloatBuffer t = ByteBuffer.allocateDirect(preprocessor.tensorSize() * Float.BYTES)
          .order(ByteOrder.nativeOrder())
          .asFloatBuffer();
      preprocessor.preprocess(e.getValue(), t);
      tensors.put(e.getKey(), t);
    }
    return tensors;
  }

  private static double[] millis(long[] nanos) {
    return Arrays.stream(nanos).mapToDouble(n -> n / 1e6).toArray();
  }
}
