package offhours.snapstart;

// Needs: the SnapStart scan's two reports, which spotbugs-maven-plugin writes in
// pre-integration-test (pom.xml): target/spotbugsXml.xml for src/main and
// target/snapstart-fixture/spotbugsXml.xml for the fixture handlers. Run it through 'mvn verify'
// (scripts/test), not with -Dspotbugs.skip.

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The build's SnapStart scan (AWS's SpotBugs plugin, restricted to its own detectors and bug pattern) can fail: run
 * with the same configuration over handlers that draw unique values during init, it reports each of them, and it
 * reports nothing for the same handler written to draw them after a restore. And the scan of src/main that the build
 * checks found nothing, so a finding there did fail the build (nobody set failOnError off).
 */
class SnapStartScanIT {

  private static final Path TARGET =
      Path.of(System.getProperty("offhours.packageDirectory", "target"));
  private static final String PATTERN = "AWS_LAMBDA_SNAP_START_BUG";
  private static final String FIXTURE = "offhours.snapstart.fixture.";

  @Test
  void reportsEveryValueAFixtureHandlerDrawsDuringInit() throws Exception {
    Document report = read(TARGET.resolve("snapstart-fixture/spotbugsXml.xml"));

    assertThat(analysed(report)).isEqualTo("test-classes");
    // new Random() in a static initializer, UUID.randomUUID() and currentTimeMillis() in the
    // constructor
    assertThat(findings(report))
        .containsExactlyInAnyOrder(
            FIXTURE + "SeededAtInitHandler.JITTER",
            FIXTURE + "SeededAtInitHandler.environmentId",
            FIXTURE + "SeededAtInitHandler.startedMillis");
  }

  @Test
  void theScanOfSrcMainThatTheBuildChecksFoundNothing() throws Exception {
    Document report = read(TARGET.resolve("spotbugsXml.xml"));

    assertThat(analysed(report)).isEqualTo("classes");
    String scannedOn = ((Element) report.getElementsByTagName("FindBugsSummary").item(0))
        .getAttribute("java_version");
    assertThat(Runtime.Version.parse(scannedOn).feature())
        .as(
            "the Java the scan ran on (%s), which must know every JDK class of the release the code is built for"
                + " (21): the plugin starts it as the 'java' first on PATH, whatever JAVA_HOME says; put"
                + " $JAVA_HOME/bin first on PATH, as scripts/test does",
            scannedOn)
        .isGreaterThanOrEqualTo(21);
    assertThat(findings(report)).isEmpty();
    assertThat(((Element) report.getElementsByTagName("Errors").item(0))
            .getAttribute("missingClasses"))
        .as(
            "classes the scan could not load (a handler's interface among them would hide the handler)")
        .isEqualTo("0");
  }

  private static Document read(Path report) throws Exception {
    assertThat(report)
        .as(
            "the SnapStart scan's report; 'mvn verify' writes it before the integration tests (not with"
                + " -Dspotbugs.skip)")
        .exists();
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
  }

  /** The directory of classes the run analysed. */
  private static String analysed(Document report) {
    return Path.of(report.getElementsByTagName("Jar").item(0).getTextContent())
        .getFileName()
        .toString();
  }

  /** Each SnapStart finding as "class.field". */
  private static List<String> findings(Document report) {
    List<String> found = new ArrayList<>();
    NodeList bugs = report.getElementsByTagName("BugInstance");
    for (int i = 0; i < bugs.getLength(); i++) {
      Element bug = (Element) bugs.item(i);
      assertThat(bug.getAttribute("type")).isEqualTo(PATTERN);
      Element field = primaryField(bug);
      found.add(field.getAttribute("classname") + "." + field.getAttribute("name"));
    }
    return found;
  }

  private static Element primaryField(Element bug) {
    for (Node n = bug.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals("Field")) {
        return e;
      }
    }
    throw new AssertionError(
        "a SnapStart finding without a field: " + bug.getAttribute("instanceHash"));
  }
}
