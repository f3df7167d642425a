package offhours.testing;

// Needs: Maven on the PATH and a JDK older than 21 under /usr/lib/jvm (skipped, saying so, where
// there is none);
// runs 'mvn -o validate' only, which builds nothing.

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new user's 'mvn -B package' under the distribution's default JDK 17 says which JDK to use, and how. */
class BuildJdkIT {

  @Test
  void mavenUnderJdk17NamesJdk21AndHowTheScriptsFindOne(@TempDir Path work) throws Exception {
    Optional<Path> old = oldJdk();
    assumeThat(old).as("a JDK older than 21 under /usr/lib/jvm").isPresent();
    Path log = work.resolve("mvn.log");
    ProcessBuilder pb = new ProcessBuilder("mvn", "-B", "-o", "-q", "validate")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().put("JAVA_HOME", old.get().toString());
    pb.environment().put("PATH", old.get().resolve("bin") + ":" + System.getenv("PATH"));
    pb.environment()
        .put(
            "MAVEN_OPTS",
            "-XX:-UsePerfData"); // not the caller's: they may hold options of newer JDKs
    Process mvn = pb.start();
    assertThat(mvn.waitFor(3, TimeUnit.MINUTES)).as("mvn validate finished").isTrue();
    String output = Files.readString(log);
    assertThat(mvn.exitValue()).as(output).isNotZero();
    assertThat(output)
        .contains(
            "offhours needs JDK 21 or newer to build; this Maven runs on JDK ",
            "Point JAVA_HOME at a JDK 21 or newer",
            "scripts/lib/common.sh");
    Matcher example = EXAMPLE.matcher(output);
    assertThat(example.find()).as(output).isTrue();
    // The example as a user pastes it, with this test's own JDK for its path: it puts that java
    // first on PATH, where one 'export' of both would expand PATH with the old JAVA_HOME.
    String jdk = System.getProperty("java.home");
    String pasted = example.group(1).replace(example.group(2), jdk);
    ProcessBuilder user =
        new ProcessBuilder("bash", "-c", pasted + "; command -v java").redirectErrorStream(true);
    // As the user who met the message: the old JDK first on PATH and in JAVA_HOME.
    user.environment().putAll(pb.environment());
    Process shell = user.start();
    shell.getOutputStream().close();
    String java = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(shell.waitFor()).as(java).isZero();
    assertThat(java).as(pasted).isEqualTo(jdk + "/bin/java");
  }

  /** The message's example: "for example: export JAVA_HOME=DIR; export PATH=..." up to its note in brackets. */
  private static final Pattern EXAMPLE =
      Pattern.compile("for example: (export JAVA_HOME=(\\S+);.*?) \\(");

  /** A JDK whose release file says 1x (x below 21): the one a distribution installs by default. */
  private static Optional<Path> oldJdk() throws IOException {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (Stream<Path> dirs = Files.list(jvms)) {
      for (Path dir : dirs.sorted().toList()) {
        Path release = dir.resolve("release");
        if (Files.isExecutable(dir.resolve("bin/java")) && Files.isRegularFile(release)) {
          List<String> lines = Files.readAllLines(release);
          Optional<String> version =
              lines.stream().filter(l -> l.startsWith("JAVA_VERSION=")).findFirst();
          if (version.isPresent()
              && version.get().matches("JAVA_VERSION=\"(1[1-9]|1\\.8)[.\"].*")) {
            return Optional.of(dir);
          }
        }
      }
    }
    return Optional.empty();
  }
}
