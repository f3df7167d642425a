package offhours.testing;

import java.io.IOException;
import offhours.local.sagemaker.ModelContainer;

/**
 * A model container in this JVM that speaks the SageMaker hosting contract with one fixed answer: {@code GET /ping}
 * 200, {@code POST /invocations} the given JSON. For tests where what the model says does not matter, only that the
 * local SageMaker can serve it.
 */
public final class AnsweringContainer {

  private AnsweringContainer() {}

  public static ModelContainer start(String json) throws IOException {
    StubHttpServer server = StubHttpServer.start(request -> switch (request.path()) {
      case "/ping" -> StubHttpServer.Reply.empty(200);
      case "/invocations" -> StubHttpServer.Reply.json(200, json);
      default -> StubHttpServer.Reply.empty(404);
    });
    return ModelContainer.of(server.uri(), server::close);
  }
}
