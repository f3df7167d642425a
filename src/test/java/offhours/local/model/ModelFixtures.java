package offhours.local.model;

import java.io.IOException;
import java.nio.file.Path;
import offhours.cache.CacheDirectory;

/** The user's offhours cache, so the default model is fetched and converted once across test runs. */
final class ModelFixtures {
  private ModelFixtures() {}

  static Path cacheDir() {
    return CacheDirectory.ofThisProcess();
  }

  static ModelFiles defaultModel() throws IOException {
    return DefaultModel.ensure(cacheDir());
  }
}
