package offhours.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import offhours.local.sagemaker.ModelContainer;

/**
 * A model container in this JVM that speaks the SageMaker hosting contract with one fixed answer: {@code GET /ping}
 * 200, {@code POST /invocations} the given JSON. For tests where what the model says does not matter, only that the
 * local SageMaker can serve it.
 */
public final class AnsweringContainer {

  private AnsweringContainer() {}

  public static ModelContainer start(String json) throws IOException {
    byte[] answer = json.getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/ping", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.createContext("/invocations", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    return ModelContainer.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), () -> server.stop(0));
  }
}
