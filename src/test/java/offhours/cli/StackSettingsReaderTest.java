package offhours.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksResponse;

class StackSettingsReaderTest {

  @TempDir
  Path dir;

  @Test
  void aLocalStateFileThatDoesNotReadIsNamedQuotedAndEscaped() {
    Path missing = dir.resolve("state\nfile.json");
    try (StackSettingsReader reader =
        StackSettingsReader.local(TestTargets.local(Map.of()), missing)) {
      assertThatThrownBy(reader::get)
          .isInstanceOf(CliException.class)
          .hasMessageStartingWith("the local stack's state file '" + dir + "/state\\x0afile.json'"
              + " does not read: ");
    }
  }

  @Test
  void anAnswerWithNoStackIsSaidInWordsNotAsAJavaException() {
    CloudFormationClient none = new CloudFormationClient() {
      @Override
      public DescribeStacksResponse describeStacks(DescribeStacksRequest request) {
        return DescribeStacksResponse.builder().build();
      }

      @Override
      public String serviceName() {
        return "cloudformation";
      }

      @Override
      public void close() {}
    };
    try (StackSettingsReader reader =
        StackSettingsReader.deployed(TestTargets.deployed(Map.of(), Map.of()), "prod", none)) {
      assertThatThrownBy(reader::get)
          .isInstanceOf(CliException.class)
          .hasMessage("DescribeStacks of prod answered with no stack");
    }
  }
}
