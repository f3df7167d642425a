package offhours.cli;

import java.util.Map;
import java.util.Optional;
import offhours.aws.AwsClients;
import offhours.local.StateFile;
import software.amazon.awssdk.regions.Region;

/** Targets for tests that need no AWS: the local stack, or a deployed stack "prod" with its outputs and parameters. */
final class TestTargets {

  private TestTargets() {}

  /** The local stack, its state file "f" holding {@code names} (and no settings, as an older version's). */
  static Target local(Map<Target.Name, String> names) {
    return local(
        names,
        new StateFile(null, null, null, null, null, null, null, null, null, null, null, null));
  }

  /** The local stack, its state file "f" holding {@code names} and the settings of {@code state}. */
  static Target local(Map<Target.Name, String> names, StateFile state) {
    return new Target(
        "the local stack",
        "the local stack's state file f",
        true,
        AwsClients.local(Region.US_EAST_1, Map.of()),
        names,
        Optional.empty(),
        Targets.localSettings(state),
        Map.of());
  }

  /** Stack "prod" with {@code names} from its outputs and its function settings from {@code parameters}. */
  static Target deployed(Map<Target.Name, String> names, Map<String, String> parameters) {
    return new Target(
        "stack prod",
        "stack prod",
        false,
        AwsClients.local(Region.US_EAST_1, Map.of()),
        names,
        Optional.empty(),
        Targets.settingsFromParameters(parameters),
        Map.of());
  }
}
