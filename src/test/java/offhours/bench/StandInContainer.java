package offhours.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A capacity-limited stand-in for an endpoint instance, run by the local SageMaker as a container command: it speaks
 * the hosting contract ({@code GET /ping}, {@code POST /invocations} on {@code SAGEMAKER_BIND_TO_PORT}), serves at
 * most K invocations at once, each taking T ms, and queues the rest in arrival order (as a model server's worker
 * queue does). Its capacity is K / T; what the pipeline achieves against it is the saturation the bench prints.
 * It also answers {@code GET /stats}: invocations served and the milliseconds during which all K slots were busy.
 *
 * <p>Usage: {@code java offhours.bench.StandInContainer K T_MS}
 */
public final class StandInContainer {

  private StandInContainer() {}

  public static void main(String[] args) throws IOException {
    int slots = Integer.parseInt(args[0]);
    long millis = Long.parseLong(args[1]);
    int port = Integer.parseInt(System.getenv("SAGEMAKER_BIND_TO_PORT"));
    byte[] answer = "[0.05,0.05,0.8,0.05,0.05]".getBytes(StandardCharsets.UTF_8);
    Semaphore capacity = new Semaphore(slots, true);
    AtomicLong served = new AtomicLong();
    AtomicLong busySlotMillis = new AtomicLong();
    java.util.concurrent.atomic.AtomicInteger present =
        new java.util.concurrent.atomic.AtomicInteger();
    // Starved: fewer requests at the container than it has slots, so capacity goes unused. Printed
    // per second.
    Thread sampler = new Thread(() -> {
      long starvedMillis = 0;
      long second = System.currentTimeMillis() / 1000;
      while (true) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
        int n = present.get();
        if (n < slots && served.get() > 0) {
          starvedMillis += 5L * (slots - n);
        }
        long now = System.currentTimeMillis() / 1000;
        if (now != second) {
          if (starvedMillis > 0) {
            System.out.println("t=" + second + " starved slot-ms " + starvedMillis + " present " + n
                + " served " + served.get());
          }
          starvedMillis = 0;
          second = now;
        }
      }
    });
    sampler.setDaemon(true);
    sampler.start();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    // Threads enough to hold every queued request: the queue is the semaphore's, in arrival order.
    server.setExecutor(Executors.newFixedThreadPool(256));
    server.createContext("/ping", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.createContext("/stats", exchange -> {
      byte[] body = ("{\"served\":" + served.get() + ",\"busySlotMillis\":" + busySlotMillis.get()
              + "}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.createContext("/invocations", exchange -> {
      exchange.getRequestBody().readAllBytes();
      present.incrementAndGet();
      try {
        capacity.acquire();
        try {
          long start = System.nanoTime();
          Thread.sleep(millis);
          busySlotMillis.addAndGet((System.nanoTime() - start) / 1_000_000);
          served.incrementAndGet();
        } finally {
          capacity.release();
          present.decrementAndGet();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(503, -1);
        exchange.close();
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
  }
}
