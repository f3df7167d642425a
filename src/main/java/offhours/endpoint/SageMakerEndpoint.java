package offhours.endpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import offhours.aws.UsageLedger;
import offhours.inference.InferenceClient;
import offhours.inference.InvocationErrors;
import offhours.inference.InvocationUsage;
import offhours.inference.ModelContract;
import offhours.stack.Hosting;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.ListTagsResponse;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * {@link Endpoint} on the SageMaker control plane and runtime (or the local hosting service, which speaks both): the
 * endpoint's life cycle and tags here, the runtime's test invocation in {@link TestInvocation}.
 */
public final class SageMakerEndpoint implements Endpoint {
  /** The tag the controller puts on the endpoints it creates; its value is the stack's id (ARN). */
  public static final String STACK_TAG = "offhours:stack-id";

  /**
   * The tag each CreateEndpoint call puts on the endpoint it makes, with a value of its own: the call's client token,
   * which CreateEndpoint does not have
   * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpoint.html).
   */
  public static final String CREATE_REQUEST_TAG = "offhours:create-request";

  /**
   * The tag the stack puts on its serverless endpoint (ServerlessEndpoint), value {@code serverless}: it says what the
   * endpoint is when DescribeEndpoint cannot. An endpoint whose creation failed before SageMaker deployed its variant
   * is reported Failed with no ProductionVariants, so no CurrentServerlessConfig
   * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html: ProductionVariants is not
   * required), and another hosting's controller would take it for its own endpoint on an old config and delete it;
   * CloudFormation's cleanup then deletes the endpoint the controller created under the same name. ListTags, which the
   * controller calls anyway for {@value #STACK_TAG}, answers for every state.
   */
  public static final String HOSTING_TAG = "offhours:hosting";

  /**
   * The stack's serverless endpoint as CloudFormation made it, for an endpoint of a template older than
   * {@value #HOSTING_TAG}: CloudFormation tags what it creates with aws:cloudformation:stack-id and
   * aws:cloudformation:logical-id
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-resource-tags.html),
   * SageMaker endpoints included (https://github.com/aws/sagemaker-python-sdk/issues/1301: such an endpoint carries
   * aws:cloudformation:* tags), and no caller can set a tag with the aws: prefix, so the controller's CreateEndpoint
   * never does. Every offhours template has one AWS::SageMaker::Endpoint, this one (TemplateWiringTest). Read
   * from the same ListTags: no other call, no other grant.
   */
  public static final String SERVERLESS_LOGICAL_ID = "ServerlessEndpoint";

  /**
   * A decision's reason for leaving alone endpoint {@code name}, which lacks {@link #STACK_TAG}; the caller adds what
   * follows.
   */
  static String notThisStacks(String name) {
    return "endpoint " + name + " was not created by this stack (no " + STACK_TAG
        + " tag with its id)";
  }

  private static final String CLOUDFORMATION_STACK_TAG = "aws:cloudformation:stack-id";
  private static final String CLOUDFORMATION_LOGICAL_ID_TAG = "aws:cloudformation:logical-id";

  private final SageMakerClient sageMaker;
  private final String endpointName;
  private final String endpointConfigName;
  private final String stackId;
  /** The controller's test invocation; null in the cleanup's view, which never probes. */
  private final TestInvocation test;

  /**
   * The controller's endpoint: it describes, creates from {@code endpointConfigName} (tagged {@value #STACK_TAG} =
   * {@code stackId}), probes and deletes it, and reports an endpoint without this stack's tag as foreign. {@code
   * model}: how the consumer calls the model and reads its answers, which the probe checks the same way. The probes
   * go to no ledger: a hosting that bills instance time.
   */
  public SageMakerEndpoint(
      SageMakerClient sageMaker,
      SageMakerRuntimeClient runtime,
      String endpointName,
      String endpointConfigName,
      String stackId,
      ModelContract model) {
    this(
        sageMaker,
        runtime,
        endpointName,
        endpointConfigName,
        stackId,
        model,
        null,
        UsageLedger.NONE);
  }

  /**
   * As above, for the settings of model {@code modelName} (MODEL_NAME; null: any): the probe fails when another
   * model's variant answers, whose answers Classify would not read ({@link InferenceClient.RawAnswer#otherModel}), so
   * the trigger is never enabled for them. Each probe's invocation is added to {@code ledger}: with HOSTING=serverless
   * SageMaker bills a test invocation like any other (the compute time "billed by the millisecond, and the amount of
   * data processed", https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html), so it is metered and
   * recorded the way Classify's calls are ({@link InferenceClient#send(byte[], Duration, InvocationUsage)}).
   */
  public SageMakerEndpoint(
      SageMakerClient sageMaker,
      SageMakerRuntimeClient runtime,
      String endpointName,
      String endpointConfigName,
      String stackId,
      ModelContract model,
      String modelName,
      UsageLedger ledger) {
    this.sageMaker = Objects.requireNonNull(sageMaker, "sageMaker");
    this.endpointName = Objects.requireNonNull(endpointName, "endpointName");
    this.endpointConfigName = Objects.requireNonNull(endpointConfigName, "endpointConfigName");
    this.stackId = Objects.requireNonNull(stackId, "stackId");
    this.test = new TestInvocation(
        new InferenceClient(Objects.requireNonNull(runtime, "runtime"), endpointName, model),
        modelName,
        Objects.requireNonNull(ledger, "ledger"));
  }

  /**
   * The stack-delete cleanup's view: it only describes and deletes the endpoint (its role allows nothing else) and
   * does not read tags: the name carries this stack's id, and an endpoint made before endpoints were tagged must not be
   * left billing when its stack goes.
   */
  public SageMakerEndpoint(SageMakerClient sageMaker, String endpointName) {
    this.sageMaker = Objects.requireNonNull(sageMaker, "sageMaker");
    this.endpointName = Objects.requireNonNull(endpointName, "endpointName");
    this.endpointConfigName = null;
    this.stackId = null;
    this.test = null;
  }

  @Override
  public Status describe() {
    DescribeEndpointResponse r;
    try {
      r = sageMaker.describeEndpoint(b -> b.endpointName(endpointName));
    } catch (SageMakerException e) {
      if (notFound(e)) {
        return Status.ABSENT;
      }
      throw e;
    }
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html#sagemaker-DescribeEndpoint-response-EndpointStatus
    // UpdateRollbackFailed: the deployment and its rollback both failed, and the endpoint serves
    // with a mix of the old and new configs. Nothing more happens to it by itself, so it is
    // IN_SERVICE: waiting for it as for an update would wait for ever (and bill for ever while it
    // is wanted off); a stop or a stale config deletes it as usual.
    State state = switch (r.endpointStatusAsString()) {
      case "Creating" -> State.CREATING;
      case "InService", "UpdateRollbackFailed" -> State.IN_SERVICE;
      case "Updating", "SystemUpdating", "RollingBack" -> State.UPDATING;
      case "Deleting" -> State.DELETING;
      case "Failed", "OutOfService" -> State.FAILED;
      default ->
        throw new IllegalStateException("endpoint " + endpointName + " has status "
            + r.endpointStatusAsString() + ", which offhours does not know");
    };
    boolean foreign = false;
    boolean taggedServerless = false;
    if (stackId != null) {
      Optional<List<Tag>> tags = tags(r.endpointArn());
      if (tags.isEmpty()) {
        return Status.ABSENT; // deleted between the two calls
      }
      foreign = !has(tags.get(), STACK_TAG, stackId);
      taggedServerless = !foreign
          && (has(tags.get(), HOSTING_TAG, Hosting.SERVERLESS.value())
              || (has(tags.get(), CLOUDFORMATION_STACK_TAG, stackId)
                  && has(tags.get(), CLOUDFORMATION_LOGICAL_ID_TAG, SERVERLESS_LOGICAL_ID)));
    }
    return Status.of(state, r.failureReason(), r.creationTime(), r.lastModifiedTime())
        .withConfig(r.endpointConfigName(), foreign)
        .withServerless(serverless(r) || taggedServerless);
  }

  /**
   * Whether the endpoint runs on serverless capacity: its variant reports a current or desired ServerlessConfig, or
   * the deployment in progress does
   * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariantSummary.html,
   * CurrentServerlessConfig;
   * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_PendingProductionVariantSummary.html). Only the stack
   * creates such an endpoint (ServerlessEndpoint), never the controller.
   */
  private static boolean serverless(DescribeEndpointResponse r) {
    boolean deployed = r.productionVariants().stream()
        .anyMatch(v -> v.currentServerlessConfig() != null || v.desiredServerlessConfig() != null);
    boolean pending = r.pendingDeploymentSummary() != null
        && r.pendingDeploymentSummary().productionVariants().stream()
            .anyMatch(
                v -> v.currentServerlessConfig() != null || v.desiredServerlessConfig() != null);
    return deployed || pending;
  }

  /**
   * The endpoint's tags, every page; empty when it is gone. DescribeEndpoint does not return tags, ListTags does
   * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListTags.html).
   */
  private Optional<List<Tag>> tags(String endpointArn) {
    List<Tag> tags = new ArrayList<>();
    String token = null;
    do {
      ListTagsResponse page;
      try {
        String next = token;
        page =
            sageMaker.listTags(b -> b.resourceArn(endpointArn).maxResults(100).nextToken(next));
      } catch (SageMakerException e) {
        if (e.awsErrorDetails() != null
            && "ValidationException".equals(e.awsErrorDetails().errorCode())) {
          return Optional.empty(); // ListTags of a resource that no longer exists
        }
        throw e;
      }
      tags.addAll(page.tags());
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    return Optional.of(tags);
  }

  private static boolean has(List<Tag> tags, String key, String value) {
    return tags.stream().anyMatch(t -> key.equals(t.key()) && value.equals(t.value()));
  }

  private static boolean notFound(SageMakerException e) {
    return InvocationErrors.endpointAbsent(e);
  }

  @Override
  public boolean create() {
    requireController("create");
    String request = UUID.randomUUID().toString();
    try {
      sageMaker.createEndpoint(b -> b.endpointName(endpointName)
          .endpointConfigName(endpointConfigName)
          .tags(
              Tag.builder().key(STACK_TAG).value(stackId).build(),
              Tag.builder().key(CREATE_REQUEST_TAG).value(request).build()));
      return true;
    } catch (SageMakerException e) {
      if (!alreadyExists(e)) {
        throw e;
      }
      // Created since this run saw it absent. By this very call, when its first attempt landed but
      // the answer was lost (a read timeout, a 5xx) and the SDK sent it again
      // (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html): this run's
      // start. Or by a run that overlapped this one (the tick, the timer and a state change can
      // start runs within a second). The endpoint's tag says which, for the run's outcome; the
      // ledger counts the start once either way (RunLedger.observe).
      return madeBy(request);
    }
  }

  /** Whether the endpoint carries {@value #CREATE_REQUEST_TAG} = {@code request}; false once it is gone. */
  private boolean madeBy(String request) {
    DescribeEndpointResponse r;
    try {
      r = sageMaker.describeEndpoint(b -> b.endpointName(endpointName));
    } catch (SageMakerException e) {
      if (notFound(e)) {
        return false;
      }
      throw e;
    }
    return tags(r.endpointArn()).map(t -> has(t, CREATE_REQUEST_TAG, request)).orElse(false);
  }

  /**
   * SageMaker's answer to creating what exists: a ValidationException "Cannot create already existing endpoint ..."
   * (or "... inference component ...").
   */
  static boolean alreadyExists(SageMakerException e) {
    return e.awsErrorDetails() != null
        && "ValidationException".equals(e.awsErrorDetails().errorCode())
        && String.valueOf(e.awsErrorDetails().errorMessage())
            .toLowerCase(java.util.Locale.ROOT)
            .contains("already existing");
  }

  @Override
  public void delete() {
    try {
      sageMaker.deleteEndpoint(b -> b.endpointName(endpointName));
    } catch (SageMakerException e) {
      if (!notFound(e)) {
        throw e;
      }
    }
  }

  /** The test invocation ({@link TestInvocation}): ready only if the model's answer fits its settings. */
  @Override
  public Probe probe() {
    requireController("probe");
    return test.run();
  }

  private void requireController(String what) {
    if (test == null) {
      throw new IllegalStateException(
          "this adapter of " + endpointName + " only describes and deletes; it cannot " + what);
    }
  }
}
