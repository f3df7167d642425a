package offhours.snapstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Comment;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The SnapStart scan's exclusions (src/spotbugs/snapstart-exclude.xml) stay narrow: each names one field of one class
 * of src/main that still declares it, and a comment before it says why the value is safe after a restore. A broad
 * entry (a package, a class, the bug pattern alone) would silence findings nobody has looked at.
 */
class SnapStartExclusionsTest {

  static final Path EXCLUSIONS = Path.of("src/spotbugs/snapstart-exclude.xml");

  @Test
  void everyExclusionNamesOneExistingFieldAndSaysWhyItIsSafe() throws Exception {
    Document filter = DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(Files.newInputStream(EXCLUSIONS));

    assertThat(problems(filter)).isEmpty();
  }

  @Test
  void broadUncommentedOrStaleExclusionsAreRefused() throws Exception {
    String filter = """
        <FindBugsFilter>
          <Match><Bug pattern="AWS_LAMBDA_SNAP_START_BUG"/></Match>
          <!-- a class, but no field -->
          <Match><Class name="offhours.classify.ClassifyHandler"/></Match>
          <Match><Class name="offhours.classify.ClassifyHandler"/><Field name="batches"/></Match>
          <!-- renamed since -->
          <Match><Class name="offhours.classify.ClassifyHandler"/><Field name="gone"/></Match>
        </FindBugsFilter>
        """;
    Document parsed = DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(filter.getBytes(StandardCharsets.UTF_8)));

    assertThat(problems(parsed))
        .containsExactly(
            "exclusion 1 names no class: name exactly one class and one field",
            "exclusion 1 names no field: name exactly one class and one field",
            "exclusion 1 has no comment before it: say why the value is safe after a restore",
            "exclusion 2 names no field: name exactly one class and one field",
            "exclusion 3 has no comment before it: say why the value is safe after a restore",
            "exclusion 4 names offhours.classify.ClassifyHandler.gone, which src/main no longer"
                + " declares: remove the entry");
  }

  /** What is wrong with each {@code <Match>} of {@code filter}, in order; empty when nothing is. */
  static List<String> problems(Document filter) {
    List<String> problems = new ArrayList<>();
    NodeList matches = filter.getElementsByTagName("Match");
    for (int i = 0; i < matches.getLength(); i++) {
      Element match = (Element) matches.item(i);
      String which = "exclusion " + (i + 1);
      String className = onlyName(match, "Class");
      String field = onlyName(match, "Field");
      if (className == null) {
        problems.add(which + " names no class: name exactly one class and one field");
      }
      if (field == null) {
        problems.add(which + " names no field: name exactly one class and one field");
      }
      if (!commented(match)) {
        problems.add(
            which + " has no comment before it: say why the value is safe after a restore");
      }
      if (className != null && field != null && !declares(className, field)) {
        problems.add(which + " names " + className + "." + field
            + ", which src/main no longer declares: remove the entry");
      }
    }
    return problems;
  }

  /** The name of the single {@code tag} child (a plain name, no "~" pattern); null when there is none or more. */
  private static String onlyName(Element match, String tag) {
    NodeList named = match.getElementsByTagName(tag);
    if (named.getLength() != 1) {
      return null;
    }
    String name = ((Element) named.item(0)).getAttribute("name");
    return name.isBlank() || name.startsWith("~") ? null : name;
  }

  private static boolean commented(Element match) {
    Node before = match.getPreviousSibling();
    while (before != null
        && before.getNodeType() == Node.TEXT_NODE
        && before.getTextContent().isBlank()) {
      before = before.getPreviousSibling();
    }
    return before instanceof Comment c && !c.getData().isBlank();
  }

  private static boolean declares(String className, String field) {
    try {
      Class.forName(className, false, SnapStartExclusionsTest.class.getClassLoader())
          .getDeclaredField(field);
      return true;
    } catch (ClassNotFoundException | NoSuchFieldException e) {
      return false;
    }
  }
}
