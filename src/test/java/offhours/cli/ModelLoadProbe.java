package offhours.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import offhours.local.model.OnnxContainer;

/**
 * A JVM that loads a model over and over on two threads (what a local stack does while an endpoint wakes), for
 * {@link StopSignalsIT} to signal. {@code guarded}: {@link StopSignals} stops the loads before the JVM exits;
 * {@code unguarded}: the JVM's own handling, where ONNX Runtime's shutdown hook releases the runtime under them.
 */
public final class ModelLoadProbe {
  private ModelLoadProbe() {}

  public static void main(String... args) throws Exception {
    Path model = Path.of(args[1]);
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> loaders = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Thread loader = new Thread(() -> {
        while (!stop.get()) {
          try {
            OnnxContainer.start(model, 0).close();
          } catch (Exception e) {
            System.err.println("load failed: " + e);
          }
        }
      });
      loader.start();
      loaders.add(loader);
    }
    if (args[0].equals("guarded")) {
      StopSignals.install(System.err, () -> {
        stop.set(true);
        for (Thread loader : loaders) {
          try {
            loader.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        System.err.println("loads stopped");
      });
    }
    OnnxContainer.start(model, 0).close(); // one load done: the runtime (and its hook) is in place
    System.out.println("loading");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
