package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * samconfig.toml as the SAM CLI reads it: each command takes the keys of {@code [default.COMMAND.parameters]} over
 * those of {@code [default.global.parameters]}, and no other section
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-config.html;
 * aws-sam-cli's {@code sam delete} is configured with its own command name, not deploy's, in
 * samcli/commands/delete/command.py). The README's deploy and delete commands pass no {@code --stack-name}, so both
 * must find it.
 */
class SamConfigTest {

  private static final Pattern SECTION = Pattern.compile("^\\[([A-Za-z0-9_.]+)]$");
  private static final Pattern SETTING = Pattern.compile("^([A-Za-z0-9_]+)\\s*=\\s*(.+)$");

  /** The sections of samconfig.toml (a flat TOML file: section headers and key = value lines). */
  static Map<String, Map<String, String>> sections() throws IOException {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    Map<String, String> current = sections.computeIfAbsent("", k -> new LinkedHashMap<>());
    for (String raw : Files.readAllLines(Path.of("samconfig.toml"))) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher section = SECTION.matcher(line);
      Matcher setting = SETTING.matcher(line);
      if (section.matches()) {
        current = sections.computeIfAbsent(section.group(1), k -> new LinkedHashMap<>());
      } else if (setting.matches()) {
        current.put(setting.group(1), unquoted(setting.group(2).strip()));
      } else {
        throw new AssertionError("samconfig.toml: a line this test cannot read: " + raw);
      }
    }
    return sections;
  }

  private static String unquoted(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }

  /** What {@code sam COMMAND} reads with the default config env. */
  static Map<String, String> settingsOf(String command) throws IOException {
    Map<String, Map<String, String>> sections = sections();
    Map<String, String> settings =
        new HashMap<>(sections.getOrDefault("default.global.parameters", Map.of()));
    settings.putAll(sections.getOrDefault("default." + command + ".parameters", Map.of()));
    return settings;
  }

  @Test
  void samDeployAndSamDeleteBothFindTheStacksName() throws IOException {
    assertThat(sections()).as("samconfig.toml's format version").containsKey("");
    assertThat(sections().get("")).containsEntry("version", "0.1");
    for (String command : List.of("deploy", "delete")) {
      assertThat(settingsOf(command))
          .as("what `sam %s` reads from samconfig.toml", command)
          .containsEntry("stack_name", "offhours");
    }
  }

  @Test
  void samDeployUploadsTheZipsToItsOwnBucketAndAsksBeforeItChangesTheStack() throws IOException {
    // The template is over CloudFormation's 51,200-byte inline limit, so it goes through S3 too.
    assertThat(Files.size(Path.of("template.yaml"))).isGreaterThan(51_200);
    assertThat(settingsOf("deploy"))
        // Named, not searched for: the search tries .aws-sam/build/template.yaml first
        // (aws-sam-cli, samcli/commands/_utils/options.py, get_or_default_template_file_name), and
        // that template would point at whatever `sam build` built, not at the zips Maven just
        // wrote.
        .containsEntry("template_file", "template.yaml")
        .containsEntry("resolve_s3", "true")
        .containsEntry("s3_prefix", "offhours")
        .containsEntry("capabilities", "CAPABILITY_IAM")
        .containsEntry("confirm_changeset", "true");
  }

  /**
   * CAPABILITY_IAM covers IAM resources whose names CloudFormation generates; one with a name of its own needs
   * CAPABILITY_NAMED_IAM, which samconfig.toml does not give
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html, Capabilities).
   */
  @Test
  void capabilityIamIsEnoughSinceNoIamResourceIsNamed() throws IOException {
    Map<String, Object> template =
        CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> resources =
        (Map<String, Map<String, Object>>) template.get("Resources");
    List<String> names =
        List.of("RoleName", "ManagedPolicyName", "UserName", "GroupName", "InstanceProfileName");
    resources.forEach((id, resource) -> {
      if (String.valueOf(resource.get("Type")).startsWith("AWS::IAM::")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> properties =
            (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
        assertThat(properties)
            .as("IAM resource %s", id)
            .doesNotContainKeys(names.toArray(String[]::new));
      }
    });
  }
}
