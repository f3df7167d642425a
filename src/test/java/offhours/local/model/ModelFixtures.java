package offhours.local.model;

import java.io.IOException;
import java.nio.file.Path;

/** The user's offhours cache, so the default model is fetched and converted once across test runs. */
final class ModelFixtures {
  private ModelFixtures() {}

  static Path cacheDir() {
    return DefaultModel.cacheDir(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  static ModelFiles defaultModel() throws IOException {
    return DefaultModel.ensure(cacheDir());
  }
}
