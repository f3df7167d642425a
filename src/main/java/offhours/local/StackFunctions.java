package offhours.local;

import java.time.Clock;
import java.time.Duration;
import offhours.api.Api;
import offhours.api.ApiConfig;
import offhours.api.ApiHandler;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.classify.ClassifyConfig;
import offhours.classify.ClassifyHandler;
import offhours.endpoint.ControllerConfig;
import offhours.endpoint.ControllerHandler;
import offhours.local.lambda.ExecutionEnvironment;
import offhours.local.lambda.LocalLambda;
import offhours.stack.StackSpec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The stack's three functions on the local Lambda, each as its template resource: the same handler class, built with
 * its clients in every execution environment as the function's init builds it on Lambda, and the template's Timeout.
 * An invocation that outlives it (or that a chaos run cuts off) ends its environment, the calls it has not sent too.
 */
final class StackFunctions {

  private StackFunctions() {}

  /** Classify, which its event source mapping invokes; its outcome lines go to its environment's standard output. */
  static void classify(LocalLambda lambda, String name, AwsClients stack, ClassifyConfig config) {
    lambda.registerFunction(
        name, classifyInit(stack, config), Duration.ofSeconds(StackSpec.CLASSIFY_TIMEOUT_SECONDS));
  }

  /** Classify's init with {@code config}: its registration's, and a model update's ({@link ModelSwitch}). */
  static ExecutionEnvironment.Init classifyInit(AwsClients stack, ClassifyConfig config) {
    return environment -> {
      DataClients own = DataClients.open(environment, stack, config);
      return new ClassifyHandler(
          own.s3,
          own.sqs,
          own.dynamoDb,
          own.runtime,
          config,
          Clock.systemUTC(),
          environment.stdout());
    };
  }

  /**
   * The controller, one function reached by its three events: the Invoke API (the CLI's {@code endpoint start|stop}),
   * its timer queue's messages and the scheduler's tick ({@link LocalLambda#invoker}). It builds its clients itself,
   * as on Lambda, from the environment's, which closes them when it ends; its own lines (the run's EMF line, a
   * decision not recorded, a test invocation the ledger did not count) go to its environment's standard output.
   */
  static void controller(
      LocalLambda lambda, AwsClients stack, ControllerConfig config, Clock clock) {
    lambda.registerJsonFunction(
        LocalDeployment.CONTROLLER_FUNCTION,
        controllerInit(stack, config, clock),
        Duration.ofSeconds(StackSpec.CONTROLLER_TIMEOUT_SECONDS));
  }

  /** The controller's init with {@code config}: its registration's, and a model update's. */
  static ExecutionEnvironment.JsonInit controllerInit(
      AwsClients stack, ControllerConfig config, Clock clock) {
    return environment ->
        new ControllerHandler(environment.clients(stack), config, clock, environment.stdout());
  }

  /**
   * The HTTP API's function, which the local front invokes ({@link LocalLambda#invoker}); its own lines (a route that
   * failed, what became of POST /classify's invocations in the ledger) go to its environment's standard output.
   */
  static void api(
      LocalLambda lambda,
      AwsClients stack,
      ApiConfig config,
      ClassifyConfig classify,
      Clock clock) {
    lambda.registerFunction(
        LocalDeployment.API_FUNCTION,
        apiInit(stack, config, classify, clock),
        Duration.ofSeconds(StackSpec.API_TIMEOUT_SECONDS));
  }

  /**
   * The API function's init with {@code config} and Classify's model-call settings: its registration's, and an
   * update's.
   */
  static ExecutionEnvironment.Init apiInit(
      AwsClients stack, ApiConfig config, ClassifyConfig classify, Clock clock) {
    return environment -> {
      DataClients own = DataClients.open(environment, stack, classify);
      return new ApiHandler(
          new Api(own.s3, own.sqs, own.dynamoDb, own.runtime, config, clock, environment.stdout()));
    };
  }

  /**
   * What Classify and the API call, built from one environment's clients and so closed when it ends; the runtime client
   * with Classify's model-call settings, as both build it on Lambda.
   */
  private record DataClients(
      S3Client s3, SqsClient sqs, DynamoDbClient dynamoDb, SageMakerRuntimeClient runtime) {

    static DataClients open(
        ExecutionEnvironment environment, AwsClients stack, ClassifyConfig classify) {
      AwsClients own = environment.clients(stack);
      return new DataClients(
          own.build(Service.S3, S3Client.builder().forcePathStyle(true)),
          own.build(Service.SQS, SqsClient.builder()),
          own.build(Service.DYNAMODB, DynamoDbClient.builder()),
          own.build(Service.SAGEMAKER_RUNTIME, ClassifyHandler.runtimeClient(classify)));
    }
  }
}
