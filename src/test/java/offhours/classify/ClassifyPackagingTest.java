package offhours.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Classify zip holds only offhours.aws, .classify, .inference, .results and .units: their imports must stay inside that
 * set, and offhours.inference, which the controller shares, sits below classify and endpoint.
 */
class ClassifyPackagingTest {

  @Test
  void classifyAndResultsImportNeitherLocalModeNorTheSageMakerControlPlane() throws IOException {
    List<String> offending;
    try (Stream<Path> files = Stream.of("classify", "results")
        .flatMap(p -> list(Path.of("src/main/java/offhours", p)))) {
      offending = files.flatMap(f -> lines(f).stream()
              .filter(l -> l.startsWith("import "))
              .filter(l -> l.matches("import (static )?offhours\\.(?!aws\\.|classify\\.|inference\\.|results\\.|units\\.).*")
                  || l.contains("software.amazon.awssdk.services.sagemaker.")
                  || l.contains("software.amazon.awssdk.services.lambda.")
                  || l.contains("ai.onnxruntime"))
              .map(l -> f.getFileName() + ": " + l))
          .toList();
    }
    assertThat(offending).isEmpty();
  }

  @Test
  void inferenceImportsNothingAboveItNorTheSageMakerControlPlane() throws IOException {
    List<String> offending;
    try (Stream<Path> files = list(Path.of("src/main/java/offhours/inference"))) {
      offending = files.flatMap(f -> lines(f).stream()
              .filter(l -> l.startsWith("import ") || l.contains("offhours."))
              .filter(l -> l.matches(".*\\boffhours\\.(local|cli|endpoint|classify)\\b.*")
                  || l.contains("software.amazon.awssdk.services.sagemaker.")
                  || l.contains("software.amazon.awssdk.services.lambda.")
                  || l.contains("com.fasterxml.jackson"))
              .map(l -> f.getFileName() + ": " + l.strip()))
          .toList();
    }
    assertThat(offending).isEmpty();
  }

  @Test
  void theClassifyPackagesUseNoJacksonBecauseTheZipCarriesNone() throws IOException {
    // Not only imports: a fully qualified com.fasterxml.jackson name would fail just the same in Lambda.
    List<String> offending;
    try (Stream<Path> files = Stream.of("aws", "classify", "inference", "results", "units")
        .flatMap(p -> list(Path.of("src/main/java/offhours", p)))) {
      offending = files.flatMap(f -> lines(f).stream()
              .filter(l -> l.contains("com.fasterxml.jackson"))
              .map(l -> f.getFileName() + ": " + l.strip()))
          .toList();
    }
    assertThat(offending).as("the Classify zip has no Jackson databind; use the SDK's json-utils (offhours.classify.Json)")
        .isEmpty();
  }

  private static Stream<Path> list(Path dir) {
    try {
      return Files.list(dir).filter(f -> f.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
