package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The class path of scripts/offhours and scripts/demo (target/classpath.txt, written by pom.xml's scripts-classpath
 * execution in every build past compile, and by ensure_built running that same execution) holds what the program
 * runs with, and none of the jars only the tests use. A user's local mode runs on it.
 */
class ScriptsClassPathTest {

  private static final Path CLASS_PATH = Path.of("target/classpath.txt");

  /** A dependency pom.xml declares itself (project/dependencies), with its scope ("compile" when none is given). */
  private record Declared(String groupId, String artifactId, String scope) {

    /** Where the jar sits in a Maven repository: .../org/junit/jupiter/junit-jupiter/VERSION/... */
    String repositoryFolder() {
      return File.separator
          + String.join(File.separator, groupId.split("\\."))
          + File.separator
          + artifactId
          + File.separator;
    }
  }

  @Test
  void theScriptsClassPathListsEveryDeclaredRuntimeDependencyAndNoTestScopedOne() throws Exception {
    List<Declared> declared = declaredDependencies();
    List<Declared> testOnly =
        declared.stream().filter(d -> d.scope().equals("test")).toList();
    List<Declared> runtime = declared.stream()
        .filter(d -> d.scope().equals("compile") || d.scope().equals("runtime"))
        .toList();
    assertThat(testOnly)
        .as("pom.xml's test-scoped dependencies")
        .extracting(Declared::artifactId)
        .contains("junit-jupiter", "selenium-chrome-driver", "assertj-core");
    assertThat(runtime)
        .as("pom.xml's runtime dependencies")
        .extracting(Declared::artifactId)
        .contains("onnxruntime", "s3");
    assertThat(CLASS_PATH)
        .as("written by every Maven build past compile (mvn process-classes)")
        .exists();
    List<String> entries =
        Arrays.asList(Files.readString(CLASS_PATH).strip().split(File.pathSeparator));

    List<String> testJars = entries.stream()
        .filter(e -> testOnly.stream().anyMatch(d -> e.contains(d.repositoryFolder())))
        .toList();
    assertThat(testJars)
        .as("jars of pom.xml's test-scoped dependencies on the scripts' class path")
        .isEmpty();
    List<String> missing = runtime.stream()
        .filter(d -> entries.stream().noneMatch(e -> e.contains(d.repositoryFolder())))
        .map(d -> d.groupId() + ":" + d.artifactId())
        .toList();
    assertThat(missing)
        .as("pom.xml's runtime dependencies missing from the scripts' class path")
        .isEmpty();
  }

  @Test
  void ensureBuiltWritesTheClassPathByRunningThePomsOwnExecutionSoBothWriteTheSameBytes()
      throws Exception {
    assertThat(Files.readString(Path.of("scripts/lib/common.sh")))
        .contains("dependency:build-classpath@scripts-classpath")
        .doesNotContain("includeScope");
    assertThat(Files.readString(Path.of("pom.xml")))
        .containsPattern("<id>scripts-classpath</id>(?s:(?!</execution>).)*"
            + "<includeScope>runtime</includeScope>");
  }

  private static List<Declared> declaredDependencies() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Element project = factory.newDocumentBuilder().parse(new File("pom.xml")).getDocumentElement();
    List<Declared> declared = new ArrayList<>();
    for (Element dependencies : children(project, "dependencies")) {
      for (Element d : children(dependencies, "dependency")) {
        List<Element> scope = children(d, "scope");
        declared.add(new Declared(
            text(d, "groupId"),
            text(d, "artifactId"),
            scope.isEmpty() ? "compile" : scope.getFirst().getTextContent().strip()));
      }
    }
    return declared;
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }

  private static String text(Element parent, String name) {
    return children(parent, name).getFirst().getTextContent().strip();
  }
}
