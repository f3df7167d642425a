package offhours.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import offhours.aws.AwsClients.Service;
import offhours.local.StateFile;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * Reads a stack's settings again, where the command line first read them, for a command that outlives an update
 * of the stack (the page of {@code offhours ui}): a deployed stack's parameters with one DescribeStacks (its client
 * built once, here), the local stack's state file. {@link #get} gives the target with the settings read now, or
 * throws a {@link CliException} that says, in the operator's words, why they could not be read; the caller keeps
 * what it had. The names (outputs) are not read again: the page's clients and tables stay those it started with.
 */
final class StackSettingsReader implements Supplier<Target>, AutoCloseable {

  private final Target target;
  private final String stackName;
  private final Path stateFile;
  private final CloudFormationClient cloudFormation;

  private StackSettingsReader(
      Target target, String stackName, Path stateFile, CloudFormationClient cloudFormation) {
    this.target = target;
    this.stackName = stackName;
    this.stateFile = stateFile;
    this.cloudFormation = cloudFormation;
  }

  /** The reader of deployed stack {@code stackName}'s parameters, with {@code target}'s credentials and Region. */
  static StackSettingsReader deployed(Target target, String stackName) {
    return deployed(
        target,
        stackName,
        target.clients().build(Service.CLOUDFORMATION, CloudFormationClient.builder()));
  }

  /** The reader of deployed stack {@code stackName}'s parameters through {@code cloudFormation}, which it closes. */
  static StackSettingsReader deployed(
      Target target, String stackName, CloudFormationClient cloudFormation) {
    return new StackSettingsReader(target, stackName, null, cloudFormation);
  }

  /** The reader of the local stack's state file {@code stateFile}. */
  static StackSettingsReader local(Target target, Path stateFile) {
    return new StackSettingsReader(target, null, stateFile, null);
  }

  @Override
  public Target get() {
    return cloudFormation == null ? fromStateFile() : fromParameters();
  }

  private Target fromStateFile() {
    try {
      return target.withSettings(Targets.localSettings(StateFile.read(stateFile)), Map.of());
    } catch (IOException | RuntimeException e) {
      throw CliException.failure("the local stack's state file '"
          + Terminal.value(stateFile.toString()) + "' does not read: " + e.getMessage());
    }
  }

  private Target fromParameters() {
    Stack stack;
    try {
      stack = Targets.usableStack(cloudFormation, stackName);
    } catch (CloudFormationException e) {
      // Throttling ("Rate exceeded") and a stack deleted since ("Stack with id NAME does not
      // exist", a ValidationError) come here, in AWS's words.
      throw CliException.failure(
          "DescribeStacks of " + stackName + " failed: " + MoveTasks.detail(e));
    } catch (SdkClientException e) {
      throw CliException.failure(Targets.unreachable(stackName, target.clients().region(), e)
          .orElse("DescribeStacks of " + stackName + " got no answer: " + e.getMessage()));
    }
    Map<String, String> parameters = Targets.parameters(stack);
    return target.withSettings(Targets.settingsFromParameters(parameters), parameters);
  }

  @Override
  public void close() {
    if (cloudFormation != null) {
      cloudFormation.close();
    }
  }
}
