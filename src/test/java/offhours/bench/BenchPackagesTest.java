package offhours.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's package lines name the functions template.yaml deploys from each zip. */
class BenchPackagesTest {

  @Test
  void eachPackageIsNamedAfterTheFunctionsTheTemplateDeploysFromIt() throws Exception {
    assertThat(Bench.functionsByPackage(Files.readString(Path.of("template.yaml"))))
        .containsOnlyKeys("classify", "controller", "api")
        .containsEntry("classify", List.of("Classify"))
        .containsEntry("controller", List.of("Controller", "EndpointCleanup", "LiveVersions"))
        .containsEntry("api", List.of("Api"));
  }
}
