// Needs cfn-lint (pip install cfn-lint) on the PATH or in ~/.pyenv/shims; skipped, saying so,
// without it.
package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * cfn-lint reads a template with its parameters' defaults, so conditions hide whatever the default Hosting does not
 * use (the serverless endpoint, its ServerlessConfig, the alarms it drops). Each Hosting value is linted as the default,
 * with the dashboard on (its default, off, would hide it).
 */
class TemplateLintIT {
  private static final Pattern HOSTING_DEFAULT =
      Pattern.compile("(?m)^(  Hosting:\\n(?:    .*\\n|      .*\\n)*?    Default: )scheduled$");

  @ParameterizedTest
  @EnumSource(Hosting.class)
  void theTemplateIsCleanWithEachHostingAsTheDefault(Hosting hosting) throws Exception {
    Path cfnLint = cfnLint();
    String template = Files.readString(Path.of("template.yaml"));
    Matcher m = HOSTING_DEFAULT.matcher(template);
    assertThat(m.find())
        .as("template.yaml's Hosting parameter defaults to scheduled")
        .isTrue();
    String rendered = m.replaceFirst("$1" + hosting.value());
    String dashboardOff = "  Dashboard:\n    Type: String\n";
    int dashboard = rendered.indexOf(dashboardOff);
    int off = rendered.indexOf("    Default: \"false\"\n", dashboard);
    assertThat(dashboard).as("template.yaml's Dashboard parameter").isPositive();
    assertThat(off).as("the Dashboard parameter defaults to false").isPositive();
    rendered = rendered.substring(0, off) + "    Default: \"true\"\n"
        + rendered.substring(off + "    Default: \"false\"\n".length());
    Path dir = Files.createDirectories(Path.of("target", "tmp", "lint"));
    Path file = dir.resolve("template-" + hosting.value() + ".yaml");
    Files.writeString(file, rendered);
    Path out = dir.resolve("cfn-lint-" + hosting.value() + ".txt");
    Process p = new ProcessBuilder(cfnLint.toString(), file.toString())
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .start();
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("cfn-lint finished").isTrue();
    assertThat(Files.readString(out, StandardCharsets.UTF_8))
        .as("cfn-lint with Hosting=%s", hosting.value())
        .isEmpty();
    assertThat(p.exitValue()).isZero();
  }

  private static Path cfnLint() {
    List<Path> candidates = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      candidates.add(Path.of(dir, "cfn-lint"));
    }
    candidates.add(Path.of(System.getProperty("user.home"), ".pyenv", "shims", "cfn-lint"));
    Optional<Path> found = candidates.stream().filter(Files::isExecutable).findFirst();
    assumeThat(found)
        .as("cfn-lint is not installed (pip install cfn-lint): on the PATH or in ~/.pyenv/shims")
        .isPresent();
    return found.get();
  }
}
