package offhours;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The house rules that the compiler does not check, over the compiled classes of src/main. */
class ArchitectureTest {

  /** The classes Maven compiled from src/main (the directory, not the classpath: scanning the jars takes seconds). */
  static final JavaClasses MAIN = new ClassFileImporter().importPath(Path.of("target/classes"));

  @Test
  void everySimpleClassNameInSrcMainHasOneMeaning() {
    Map<String, List<String>> byName = MAIN.stream()
        .filter(c -> !c.isAnonymousClass() && !c.getSimpleName().isEmpty() && !c.getSimpleName().equals("package-info"))
        .collect(Collectors.groupingBy(JavaClass::getSimpleName, TreeMap::new,
            Collectors.mapping(JavaClass::getName, Collectors.toList())));
    assertThat(byName).as("simple names in src/main").hasSizeGreaterThan(100);
    byName.values().removeIf(classes -> classes.size() == 1);
    assertThat(byName).as("simple names declared more than once in src/main (nested types included)").isEmpty();
  }
}
