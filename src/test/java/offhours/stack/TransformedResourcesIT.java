// Needs python3 with cfn-lint (pip install cfn-lint, which brings SAM's translator, samtranslator)
// on the PATH or in ~/.pyenv/shims; skipped, saying so, without it.
package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link TransformedResources}, what the deployer's policy is proven against, knows the SAM transform as SAM's own
 * translator runs it: for every Hosting, the same resource types, as many of each, as samtranslator makes of
 * template.yaml with that Hosting's conditions.
 */
class TransformedResourcesIT {

  @Test
  void theTypesAreThoseSamsTranslatorMakesForEveryHosting() throws Exception {
    List<String[]> translated = translate();
    assertThat(translated).extracting(r -> r[1]).contains("AWS::Scheduler::Schedule");
    for (Map<String, String> parameters : DeployerPolicyTest.stacks()) {
      StackResolver stack = ResourceFormsTest.stack(parameters);
      Map<String, Integer> expected = new HashMap<>();
      for (String[] r : translated) {
        if (r[2].equals("-") || stack.condition(r[2])) {
          expected.merge(r[1].startsWith("Custom::") ? "Custom::" : r[1], 1, Integer::sum);
        }
      }
      Map<String, Integer> ours = new HashMap<>();
      TransformedResources.created(stack).forEach(c -> ours.merge(c.type(), 1, Integer::sum));
      assertThat(ours).as("resource types of %s", parameters).isEqualTo(expected);
    }
  }

  private static List<String[]> translate() throws Exception {
    Path python = python();
    Path out = Files.createDirectories(Path.of("target", "tmp")).resolve("sam-resource-types.txt");
    Process p = new ProcessBuilder(
            python.toString(),
            "src/test/resources/offhours/stack/sam_resource_types.py",
            "template.yaml")
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("samtranslator finished").isTrue();
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assumeThat(text)
        .as("samtranslator or cfn-lint is not installed (pip install cfn-lint)")
        .doesNotContain("ModuleNotFoundError");
    assertThat(p.exitValue()).as(text).isZero();
    List<String[]> rows = new ArrayList<>();
    text.lines().forEach(l -> rows.add(l.split("\t")));
    return rows;
  }

  private static Path python() {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of(System.getProperty("user.home"), ".pyenv", "shims", "python3"));
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      candidates.add(Path.of(dir, "python3"));
    }
    Optional<Path> found = candidates.stream().filter(Files::isExecutable).findFirst();
    assumeThat(found).as("python3 is not installed").isPresent();
    return found.get();
  }
}
