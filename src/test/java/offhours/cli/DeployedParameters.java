package offhours.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksResponse;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

/**
 * A fake CloudFormation of one deployed stack, prod, for the tests of a page that reads its settings again: its
 * DescribeStacks answers the parameters as {@link #deployed} holds them now (a test changes them as a {@code sam
 * deploy} would), or throws {@link #failWith} when that is set; {@link #described} keeps each request.
 */
final class DeployedParameters implements CloudFormationClient {

  /**
   * Stack prod's parameters as DescribeStacks returns them (this version's template): office hours in Berlin, a
   * 60-minute budget, one instance, scheduled.
   */
  static final Map<String, String> PROD = Map.of(
      "TimeZone", "Europe/Berlin",
      "WorkingHours", "Mon-Fri 08:00-19:00",
      "Holidays", "",
      "MaxWaitMinutes", "60",
      "WakeBacklogMessages", "0",
      "WakeBacklogAgeMinutes", "0",
      "BatchingWindowSeconds", "5",
      "InstanceCount", "1",
      "Hosting", "scheduled");

  /** The stack's parameters as deployed now. */
  final Map<String, String> deployed;

  /** Each DescribeStacks asked, in order. */
  final List<DescribeStacksRequest> described = new ArrayList<>();

  /** When set, what DescribeStacks throws. */
  RuntimeException failWith;

  DeployedParameters(Map<String, String> parameters) {
    this.deployed = new HashMap<>(parameters);
  }

  @Override
  public DescribeStacksResponse describeStacks(DescribeStacksRequest request) {
    described.add(request);
    if (failWith != null) {
      throw failWith;
    }
    return DescribeStacksResponse.builder()
        .stacks(Stack.builder()
            .stackName("prod")
            .stackStatus(StackStatus.UPDATE_COMPLETE)
            .parameters(deployed.entrySet().stream()
                .map(p -> Parameter.builder()
                    .parameterKey(p.getKey())
                    .parameterValue(p.getValue())
                    .build())
                .toList())
            .build())
        .build();
  }

  @Override
  public String serviceName() {
    return "cloudformation";
  }

  @Override
  public void close() {}
}
