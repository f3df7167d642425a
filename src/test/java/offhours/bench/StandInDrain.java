package offhours.bench;

import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import offhours.local.LocalDeployment;
import offhours.local.lambda.MappingStats;

/**
 * The stand-in bench line: N uploads queued while the endpoint is off, then drained through the real local pipeline
 * (S3 notifications, SQS, the local Lambda's poller and the Classify handler, the local SageMaker) against
 * {@link StandInContainer}, an endpoint of K slots of T ms. Its capacity is K / T images per second; the drain rate
 * from the first result to the last against it is the saturation, which decides the billed time on AWS.
 */
final class StandInDrain {

  /** What one drain measured. */
  record Result(
      int images,
      int slots,
      long millis,
      double perSecond,
      double firstResultSeconds,
      long batches,
      long failed) {
    double capacity() {
      return slots * 1000.0 / millis;
    }

    double saturation() {
      return perSecond / capacity();
    }
  }

  private StandInDrain() {}

  static Result run(Path cache, int images, int slots, long millis, PrintStream log)
      throws Exception {
    Path labels = Files.createTempFile("offhours-standin", ".txt");
    Files.writeString(labels, "Drawing\nHentai\nNeutral\nPorn\nSexy\n");
    String java = ProcessHandle.current().info().command().orElse("java");
    String command = java + " -XX:TieredStopAtLevel=1 -cp "
        + Path.of(System.getProperty("java.class.path").split(File.pathSeparator)[0])
            .toAbsolutePath()
        + " " + StandInContainer.class.getName() + " " + slots + " " + millis;
    LocalDeployment.Options options = new LocalDeployment.Options(
        cache,
        Optional.empty(),
        Optional.of(labels),
        Optional.of(command),
        LocalDeployment.Options.defaults(cache).creatingDelay(),
        LocalDeployment.Options.defaults(cache).controllerTick(),
        Map.of("WAKE_BACKLOG_MESSAGES", "0", "IDLE_STOP_MINUTES", "30"));
    log.println("bench: stand-in endpoint, " + slots + " slots of " + millis
        + " ms; starting the local stack ...");
    try (LocalDeployment stack =
        LocalDeployment.start(options, new PrintStream(OutputStream.nullOutputStream()))) {
      int queuedBefore = BenchStack.visible(stack.sqs(), stack.resources().queueUrl());
      byte[] photo = Files.readAllBytes(BenchStack.DEMO_IMAGES.resolve("chelsea.png"));
      String run = UUID.randomUUID().toString().substring(0, 8);
      BenchStack.queueUploads(
          stack,
          images,
          queuedBefore,
          log,
          i -> Map.entry(String.format("standin-%s/%04d.png", run, i), photo));
      BenchStack.Drain drain = BenchStack.startDrain(stack, images, log);
      long start = drain.startNanos();
      long first = 0;
      long firstCount = 0;
      long total = queuedBefore + images;
      long deadline = start + TimeUnit.MINUTES.toNanos(15);
      while (true) {
        MappingStats s = drain.stats();
        long done = drain.done(s);
        long now = System.nanoTime();
        if (first == 0 && done > 0) {
          first = now;
          firstCount = done;
        }
        if (done >= total) {
          double rate = (total - firstCount) / ((now - first) / 1e9);
          return new Result(
              images, slots, millis, rate, (first - start) / 1e9, s.batches(), s.failed());
        }
        if (now > deadline) {
          throw new IllegalStateException("the stand-in drain did not finish in 15 minutes: " + s);
        }
        Thread.sleep(10);
      }
    } finally {
      Files.deleteIfExists(labels);
    }
  }
}
