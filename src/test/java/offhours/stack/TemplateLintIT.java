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
import java.util.Arrays;
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
 * with the dashboard on (its default, off, would hide it). One cfn-lint run lints the three renderings (it starts in
 * about 4 s and lints a file in about 3), in its parseable format, one line per finding that starts with the file's
 * name: each Hosting's case checks that no line is its file's and that nothing else was printed.
 */
class TemplateLintIT {
  private static final Pattern HOSTING_DEFAULT =
      Pattern.compile("(?m)^(  Hosting:\\n(?:    .*\\n|      .*\\n)*?    Default: )scheduled$");

  /** The one run over every rendering: what cfn-lint printed and its exit code. */
  private record Lint(List<String> lines, int exitCode) {}

  private static Lint lint;

  @ParameterizedTest
  @EnumSource(Hosting.class)
  void theTemplateIsCleanWithEachHostingAsTheDefault(Hosting hosting) throws Exception {
    Lint all = lintEveryHosting();
    List<String> others = Arrays.stream(Hosting.values())
        .filter(h -> h != hosting)
        .map(h -> rendering(h) + ":")
        .toList();
    assertThat(all.lines().stream().filter(l -> others.stream().noneMatch(l::startsWith)))
        .as("cfn-lint with Hosting=%s (%s), of the run over every Hosting", hosting.value(), all)
        .isEmpty();
    if (all.lines().isEmpty()) {
      assertThat(all.exitCode()).isZero();
    }
  }

  private static synchronized Lint lintEveryHosting() throws Exception {
    if (lint != null) {
      return lint;
    }
    Path cfnLint = cfnLint();
    String template = Files.readString(Path.of("template.yaml"));
    Matcher m = HOSTING_DEFAULT.matcher(template);
    assertThat(m.find())
        .as("template.yaml's Hosting parameter defaults to scheduled")
        .isTrue();
    Path dir = Files.createDirectories(Path.of("target", "tmp", "lint"));
    List<String> command = new ArrayList<>(List.of(cfnLint.toString(), "--format", "parseable"));
    for (Hosting hosting : Hosting.values()) {
      String rendered = m.replaceFirst("$1" + hosting.value());
      String dashboardOff = "  Dashboard:\n    Type: String\n";
      int dashboard = rendered.indexOf(dashboardOff);
      int off = rendered.indexOf("    Default: \"false\"\n", dashboard);
      assertThat(dashboard).as("template.yaml's Dashboard parameter").isPositive();
      assertThat(off).as("the Dashboard parameter defaults to false").isPositive();
      rendered = rendered.substring(0, off) + "    Default: \"true\"\n"
          + rendered.substring(off + "    Default: \"false\"\n".length());
      Files.writeString(dir.resolve(rendering(hosting)), rendered);
      command.add(rendering(hosting));
    }
    Path out = dir.resolve("cfn-lint.txt");
    Process p = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .start();
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("cfn-lint finished").isTrue();
    lint = new Lint(Files.readString(out, StandardCharsets.UTF_8).lines().toList(), p.exitValue());
    return lint;
  }

  /** The file of the template rendered with {@code hosting} as the default, in target/tmp/lint. */
  private static String rendering(Hosting hosting) {
    return "template-" + hosting.value() + ".yaml";
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
