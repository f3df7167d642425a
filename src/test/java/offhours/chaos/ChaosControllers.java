package offhours.chaos;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.endpoint.ControlState;
import offhours.endpoint.ControllerConfig;
import offhours.endpoint.Decision;
import offhours.endpoint.DynamoControlTable;
import offhours.endpoint.Endpoint;
import offhours.endpoint.EndpointController;
import offhours.endpoint.LambdaMapping;
import offhours.endpoint.Mapping;
import offhours.endpoint.SageMakerEndpoint;
import offhours.endpoint.SqsBacklog;
import offhours.inference.ModelContract;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * More controller runs besides the local stack's scheduled one, with the same settings and the same control table,
 * as overlapping Lambda invocations would be: two runs started together, and runs that die between two steps. A run
 * dies through its collaborators (a wrapper throws {@link ControllerDied} right after the real SageMaker or Lambda
 * call), exactly where a Lambda timeout or crash would end it; the controller's logic is untouched.
 */
final class ChaosControllers implements AutoCloseable {

  /** The end of a controller run, thrown past its error handling as a crashed runtime would end it. */
  static final class ControllerDied extends Error {
    ControllerDied(String step) {
      super("controller run died right after " + step, null, false, false);
    }
  }

  private final ControllerConfig config;
  /** The config's model with its labels read from LABELS_S3_URI, once, as the controller function reads them. */
  private final ModelContract model;

  private final SageMakerClient sageMaker;
  private final SageMakerRuntimeClient runtime;
  private final LambdaClient lambda;
  private final SqsClient sqs;
  private final DynamoDbClient dynamoDb;
  private final Clock clock = Clock.systemUTC();

  ChaosControllers(AwsClients clients, ControllerConfig config) {
    this.config = config;
    try (S3Client s3 = clients.build(Service.S3, S3Client.builder().forcePathStyle(true))) {
      this.model = config.model().resolveLabels(s3);
    }
    this.sageMaker = clients.build(Service.SAGEMAKER, SageMakerClient.builder());
    this.runtime = clients.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder());
    this.lambda = clients.build(Service.LAMBDA, LambdaClient.builder());
    this.sqs = clients.build(Service.SQS, SqsClient.builder());
    this.dynamoDb = clients.build(Service.DYNAMODB, DynamoDbClient.builder());
  }

  /** Two runs that read the same control state and race for the step; returns both decisions' actions. */
  List<String> overlapping() throws Exception {
    CyclicBarrier together = new CyclicBarrier(2);
    try (ExecutorService two = Executors.newFixedThreadPool(2)) {
      List<Future<Decision>> runs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        runs.add(two.submit(() -> {
          EndpointController controller = controller(false);
          together.await();
          return controller.reconcile(clock.instant());
        }));
      }
      List<String> actions = new ArrayList<>();
      for (Future<Decision> run : runs) {
        actions.add(run.get().action().name());
      }
      return actions;
    }
  }

  /**
   * A run that dies right after the first call that changes something (CreateEndpoint, DeleteEndpoint, enabling or
   * disabling the mapping), before it records the outcome. Empty when this run had nothing to change.
   */
  Optional<String> dying() {
    try {
      controller(true).reconcile(clock.instant());
      return Optional.empty();
    } catch (ControllerDied died) {
      return Optional.of(died.getMessage());
    }
  }

  /**
   * A manual {@code stop} or {@code start} whose controller run dies right after the step the override leads to
   * (disabling the trigger, CreateEndpoint, ...), before it records the step's outcome. Empty when that run had nothing
   * to change (another run had taken the step already).
   */
  Optional<String> dyingOverride(boolean start) {
    try {
      controller(true)
          .override(
              start ? ControlState.Override.Mode.START : ControlState.Override.Mode.STOP,
              null,
              clock.instant());
      return Optional.empty();
    } catch (ControllerDied died) {
      return Optional.of(died.getMessage());
    }
  }

  private EndpointController controller(boolean dies) {
    DynamoControlTable control = new DynamoControlTable(dynamoDb, config.controlTableName());
    Endpoint endpoint = new SageMakerEndpoint(
        sageMaker,
        runtime,
        config.endpointName(),
        config.endpointConfigName(),
        config.stackId(),
        model);
    Mapping mapping = new LambdaMapping(lambda, config.mappingUuid());
    if (dies) {
      endpoint = new DyingEndpoint(endpoint);
      mapping = new DyingMapping(mapping);
    }
    return new EndpointController(
        config,
        endpoint,
        mapping,
        new SqsBacklog(sqs, config.queueUrl(), config.dlqUrl()),
        control,
        control,
        line -> {});
  }

  private record DyingEndpoint(Endpoint real) implements Endpoint {
    @Override
    public Status describe() {
      return real.describe();
    }

    @Override
    public boolean create() {
      real.create();
      throw new ControllerDied("CreateEndpoint");
    }

    @Override
    public void delete() {
      real.delete();
      throw new ControllerDied("DeleteEndpoint");
    }

    @Override
    public Probe probe() {
      return real.probe();
    }
  }

  private record DyingMapping(Mapping real) implements Mapping {
    @Override
    public TriggerState state() {
      return real.state();
    }

    @Override
    public void enable() {
      real.enable();
      throw new ControllerDied("enabling the mapping");
    }

    @Override
    public void disable() {
      real.disable();
      throw new ControllerDied("disabling the mapping");
    }
  }

  @Override
  public void close() {
    sageMaker.close();
    runtime.close();
    lambda.close();
    sqs.close();
    dynamoDb.close();
  }
}
