package offhours.local.lambda;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import offhours.local.api.Loopback;

/**
 * The local Lambda's API server, bound to a free loopback port before the Lambda starts, so that its endpoint can be
 * given to clients built first (the Lambda needs one of them, its SQS client). It is bound, not probed: a port that
 * was only found free could be taken by another process (another stack, a test JVM) before the Lambda bound it.
 * {@link LocalLambdaBuilder#api} hands it to the Lambda, which stops it on close; closed before that, it is stopped
 * here.
 */
public final class LambdaApiSocket implements AutoCloseable {
  private final HttpServer server;
  private boolean taken;

  private LambdaApiSocket(HttpServer server) {
    this.server = server;
  }

  /** Binds a free port on 127.0.0.1; nothing is served on it until a local Lambda starts with it. */
  public static LambdaApiSocket bind() throws IOException {
    Loopback.limitRequestTime();
    return new LambdaApiSocket(
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The server, now the Lambda's to start and stop; a second Lambda cannot take it too. */
  synchronized HttpServer take() {
    if (taken) {
      throw new IllegalStateException(
          "the local Lambda API on port " + port() + " is already taken");
    }
    taken = true;
    return server;
  }

  /** Frees the port unless a Lambda took the server, which frees it on its own close. */
  @Override
  public synchronized void close() {
    if (!taken) {
      taken = true;
      // Started first: the JDK's server closes its listening socket on its dispatcher thread, so a
      // server stopped without ever starting keeps the port bound.
      server.start();
      server.stop(0);
    }
  }
}
