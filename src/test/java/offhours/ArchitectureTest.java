package offhours;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The house rules that the compiler does not check, over the compiled classes of src/main. */
class ArchitectureTest {

  /** The classes Maven compiled from src/main (the directory, not the classpath: scanning the jars takes seconds). */
  static final JavaClasses MAIN = new ClassFileImporter().importPath(Path.of("target/classes"));

  /**
   * cli and ui on top, then local mode, then the HTTP API, then the two functions' packages, then what they share.
   * A layer may use the layers below it, never one above.
   */
  @Test
  void packagesUseOnlyTheLayersBelowThem() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("cli")
        .definedBy("offhours.cli..")
        .layer("ui")
        .definedBy("offhours.ui..")
        .layer("local")
        .definedBy("offhours.local..")
        .layer("api")
        .definedBy("offhours.api..")
        .layer("classify")
        .definedBy("offhours.classify..")
        .layer("endpoint")
        .definedBy("offhours.endpoint..")
        .layer("shared")
        .definedBy(
            "offhours.inference..",
            "offhours.results..",
            "offhours.stack..",
            "offhours.aws..",
            "offhours.units..",
            "offhours.cache..")
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("ui")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("local")
        .mayOnlyBeAccessedByLayers("cli", "ui")
        .whereLayer("api")
        .mayOnlyBeAccessedByLayers("cli", "ui", "local")
        .whereLayer("classify")
        .mayOnlyBeAccessedByLayers("cli", "ui", "local", "api")
        .whereLayer("endpoint")
        .mayOnlyBeAccessedByLayers("cli", "ui", "local", "api")
        .check(MAIN);
  }

  /** A canary: the rules above would pass on an import that saw no dependencies at all. */
  @Test
  void theImportSeesTheDependencies() {
    assertThatThrownBy(() -> noClasses()
            .that()
            .resideInAPackage("offhours.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("offhours.local..")
            .check(MAIN))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("offhours.local.StateFile");
  }

  @Test
  void noCyclesBetweenPackages() {
    slices().matching("offhours.(**)").should().beFreeOfCycles().check(MAIN);
  }

  /** The Classify zip carries neither local mode nor the SageMaker control plane (only sagemakerruntime). */
  @Test
  void classifyAndInferenceKnowNothingOfLocalModeTheControllerOrTheControlPlane() {
    noClasses()
        .that()
        .resideInAnyPackage("offhours.classify..", "offhours.inference..", "offhours.results..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "offhours.local..",
            "offhours.endpoint..",
            "offhours.cli..",
            "offhours.ui..",
            "offhours.api..",
            "offhours.stack..",
            "offhours.cache..",
            "software.amazon.awssdk.services.sagemaker..",
            "software.amazon.awssdk.services.lambda..",
            "ai.onnxruntime..")
        .check(MAIN);
  }

  /** The Classify zip has no Jackson databind; the SDK's json-utils read JSON there (offhours.inference.StrictJson). */
  @Test
  void theClassifyZipsPackagesUseNoJackson() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "offhours.aws..",
            "offhours.classify..",
            "offhours.inference..",
            "offhours.results..",
            "offhours.units..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.fasterxml.jackson..")
        .check(MAIN);
  }

  /** The packages the three SnapStart functions' zips carry (src/assembly), the simulation aside. */
  static final String[] FUNCTION_PACKAGES = {
    "offhours.aws..",
    "offhours.classify..",
    "offhours.inference..",
    "offhours.results..",
    "offhours.units..",
    "offhours.api..",
    "offhours.stack..",
    "offhours.endpoint",
    "offhours.endpoint.cfn"
  };

  /**
   * SnapStart restores every execution environment from one snapshot of the heap, so a pseudo-random generator whose
   * state lives there (java.util.Random and its seed, ThreadLocalRandom's static seeder and per-thread seeds,
   * Math.random's shared Random, SplittableRandom) draws the same numbers in all of them: jitter meant to spread
   * retries would line them up. Functions draw from SecureRandom instead, which AWS names as staying unique
   * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-uniqueness.html); Lambda's own scanner flags a Random
   * held in a field (https://github.com/aws/aws-lambda-snapstart-java-rules).
   */
  @Test
  void theFunctionsDrawNoRandomnessThatASnapshotWouldRepeat() {
    noClasses()
        .that()
        .resideInAnyPackage(FUNCTION_PACKAGES)
        .should()
        .callMethod(ThreadLocalRandom.class, "current")
        .orShould()
        .callMethod(Math.class, "random")
        .orShould()
        .callMethod(RandomGenerator.class, "getDefault")
        .orShould()
        .callConstructor(Random.class)
        .orShould()
        .callConstructor(Random.class, long.class)
        .orShould()
        .callConstructor(SplittableRandom.class)
        .orShould()
        .callConstructor(SplittableRandom.class, long.class)
        .because(
            "a generator seeded before the snapshot repeats itself in every restored environment")
        .check(MAIN);
    noFields()
        .that()
        .areDeclaredInClassesThat()
        .resideInAnyPackage(FUNCTION_PACKAGES)
        .should()
        .haveRawType(Random.class)
        .orShould()
        .haveRawType(ThreadLocalRandom.class)
        .orShould()
        .haveRawType(SplittableRandom.class)
        .check(MAIN);
  }

  @Test
  void everySimpleClassNameInSrcMainHasOneMeaning() {
    Map<String, List<String>> byName = MAIN.stream()
        .filter(c -> !c.isAnonymousClass()
            && !c.getSimpleName().isEmpty()
            && !c.getSimpleName().equals("package-info"))
        .collect(Collectors.groupingBy(
            JavaClass::getSimpleName,
            TreeMap::new,
            Collectors.mapping(JavaClass::getName, Collectors.toList())));
    assertThat(byName).as("simple names in src/main").hasSizeGreaterThan(100);
    byName.values().removeIf(classes -> classes.size() == 1);
    assertThat(byName)
        .as("simple names declared more than once in src/main (nested types included)")
        .isEmpty();
  }
}
