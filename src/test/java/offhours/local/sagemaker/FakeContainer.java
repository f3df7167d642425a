package offhours.local.sagemaker;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import offhours.testing.StubHttpServer.Request;

/**
 * An in-JVM model container speaking the SageMaker contract. {@code /invocations} echoes the payload as
 * JSON {@code {"contentType":..., "accept":..., "bytes":N}} unless the payload is one of the commands
 * {@code status:NNN} (answer NNN), {@code sleep:MS} or {@code gather}: wait, up to a minute, until
 * {@link #gathering} has counted down to zero (so the answer comes only when that many requests are in at once).
 */
final class FakeContainer implements ModelContainer {
  final AtomicInteger pingStatus = new AtomicInteger(200);
  final AtomicInteger invocations = new AtomicInteger();
  volatile boolean closed;
  volatile CountDownLatch gathering = new CountDownLatch(0);
  private final StubHttpServer server = StubHttpServer.start(this::answer);

  private Reply answer(Request request) {
    if (request.path().equals("/ping")) {
      return Reply.empty(pingStatus.get());
    }
    if (!request.path().equals("/invocations")) {
      return Reply.empty(404);
    }
    invocations.incrementAndGet();
    byte[] body = request.body();
    String text = new String(body, 0, Math.min(body.length, 64), StandardCharsets.UTF_8);
    try {
      if (text.startsWith("sleep:")) {
        Thread.sleep(Long.parseLong(text.substring(6).trim()));
      }
      if (text.startsWith("gather")) {
        CountDownLatch all = gathering;
        all.countDown();
        all.await(1, TimeUnit.MINUTES);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (text.startsWith("status:")) {
      return new Reply(
          Integer.parseInt(text.substring(7).trim()),
          Map.of(),
          ("model says no: " + text).getBytes(StandardCharsets.UTF_8));
    }
    Reply reply = Reply.json(
        200,
        "{\"contentType\":\"" + request.header("Content-Type") + "\",\"accept\":\""
            + request.header("Accept") + "\",\"bytes\":" + body.length + "}");
    String attributes = request.header("X-Amzn-SageMaker-Custom-Attributes");
    return attributes == null
        ? reply
        : reply.withHeader("X-Amzn-SageMaker-Custom-Attributes", "echo:" + attributes);
  }

  @Override
  public URI baseUri() {
    return server.uri();
  }

  @Override
  public void close() {
    closed = true;
    server.close();
  }
}
