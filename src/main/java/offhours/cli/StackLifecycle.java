package offhours.cli;

import java.util.Optional;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

/**
 * Whether a deployed stack can be worked on, from the StackStatus of the DescribeStacks answer its outputs come from.
 *
 * <p>Before CREATE_COMPLETE a stack has no outputs yet, and one whose creation failed never will: CloudFormation
 * rolls its resources back and, in ROLLBACK_COMPLETE, "only a delete operation can be performed"; a stack in
 * DELETE_FAILED can no longer be worked with or updated, only deleted again (AWS CloudFormation User Guide, "Stack
 * status codes":
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-console-view-stack-data-resources.html#cfn-console-view-stack-data-resources-status-codes).
 * Telling the user to update such a stack for a missing output would send them to an update CloudFormation refuses.
 * Every other status (an update in progress, cleaning up or rolled back, an import) keeps the stack's resources and
 * outputs, and a command works on it as it is.
 */
final class StackLifecycle {

  private StackLifecycle() {}

  /** Why stack {@code name} in {@code status} cannot be worked on, and what to do; empty when it can. */
  static Optional<String> unusable(String name, StackStatus status) {
    if (status == null) {
      return Optional.empty();
    }
    String stack = "stack " + name + " ";
    String state = " (" + status + ")";
    String events = "see why in its events ('aws cloudformation describe-stack-events --stack-name "
        + name + "')";
    String redeploy = "CloudFormation can only delete it: " + events
        + ", delete it ('sam delete --stack-name " + name + "') and deploy it again";
    return Optional.ofNullable(
        switch (status) {
          case CREATE_IN_PROGRESS ->
            stack + "is still being created" + state + "; wait until it is CREATE_COMPLETE"
                + " ('aws cloudformation wait stack-create-complete --stack-name " + name
                + "'), then run this again";
          case REVIEW_IN_PROGRESS ->
            stack + "has a change set that was never executed" + state
                + ", so none of its resources exist yet; execute it ('sam deploy' without"
                + " --no-execute-changeset, or 'aws cloudformation execute-change-set') and wait"
                + " until it is CREATE_COMPLETE";
          case CREATE_FAILED -> stack + "failed to be created" + state + "; " + redeploy;
          case ROLLBACK_IN_PROGRESS ->
            stack + "failed to be created and is being rolled back" + state
                + "; when it is ROLLBACK_COMPLETE, " + redeploy;
          case ROLLBACK_COMPLETE, ROLLBACK_FAILED ->
            stack + "failed to be created and was rolled back" + state + "; " + redeploy;
          case DELETE_IN_PROGRESS ->
            stack + "is being deleted" + state
                + "; deploy it again once it is gone, or name another stack";
          case DELETE_COMPLETE ->
            stack + "was deleted" + state + "; deploy it again, or name another stack";
          case DELETE_FAILED ->
            stack + "failed to be deleted" + state + " and some of its resources may remain;"
                + " CloudFormation can only delete it: " + events + ", then delete it again";
          default -> null;
        });
  }
}
