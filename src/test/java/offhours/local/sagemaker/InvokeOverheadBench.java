package offhours.local.sagemaker;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;

/**
 * What the local SageMaker adds to an invocation: the same payload posted straight to an in-JVM
 * container, and through InvokeEndpoint with the real SDK client. Prints a table; asserts nothing.
 *
 * <p>Run: {@code mvn -q test-compile && java -cp target/classes:target/test-classes:$(cat cp.txt)
 * offhours.local.sagemaker.InvokeOverheadBench} with cp.txt from {@code mvn dependency:build-classpath}.
 */
public final class InvokeOverheadBench {
  public static void main(String[] args) throws Exception {
    int payloadBytes = 100 * 1024; // about a small JPEG
    int rounds = 2000;
    byte[] payload = new byte[payloadBytes];
    FakeContainer container = new FakeContainer();
    try (Fixture f = new Fixture(LocalSageMaker.builder()
        .creatingDelay(Duration.ZERO)
        .container(Fixture.IMAGE, spec -> container))) {
      f.createEndpoint("bench", Fixture.IMAGE, Map.of());
      f.awaitStatus("bench", EndpointStatus.IN_SERVICE);
      HttpClient http =
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest direct = HttpRequest.newBuilder(container.baseUri().resolve("/invocations"))
          .header("Content-Type", "application/x-image")
          .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
          .build();
      Supplier<Object> viaContainer = () -> {
        try {
          return http.send(direct, HttpResponse.BodyHandlers.ofByteArray()).body();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      Supplier<Object> viaSageMaker = () -> f.runtime.invokeEndpoint(r -> r.endpointName("bench")
          .contentType("application/x-image")
          .body(SdkBytes.fromByteArrayUnsafe(payload)));
      double[] c = measure(viaContainer, rounds);
      double[] s = measure(viaSageMaker, rounds);
      System.out.printf(
          "payload %d KiB, %d invocations each, after %d warm-up%n",
          payloadBytes / 1024, rounds, rounds);
      System.out.printf("%-34s %8s %8s%n", "path", "p50 ms", "p95 ms");
      System.out.printf("%-34s %8.3f %8.3f%n", "container POST /invocations", c[0], c[1]);
      System.out.printf("%-34s %8.3f %8.3f%n", "SDK InvokeEndpoint via local SM", s[0], s[1]);
      System.out.printf("%-34s %8.3f %8.3f%n", "overhead", s[0] - c[0], s[1] - c[1]);
      http.close();
    } finally {
      container.close();
    }
  }

  private static double[] measure(Supplier<Object> call, int rounds) {
    for (int i = 0; i < rounds; i++) {
      call.get();
    }
    long[] nanos = new long[rounds];
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      call.get();
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    return new double[] {nanos[rounds / 2] / 1e6, nanos[rounds * 95 / 100] / 1e6};
  }
}
