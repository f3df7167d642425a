package offhours.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.api.ApiConfig;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.classify.ClassifyConfig;
import offhours.endpoint.Backlog;
import offhours.endpoint.ControllerConfig;
import offhours.endpoint.LambdaMapping;
import offhours.endpoint.Mapping;
import offhours.endpoint.SageMakerEndpoint;
import offhours.endpoint.SqsBacklog;
import offhours.endpoint.SqsSweptQueue;
import offhours.endpoint.TestEventSweep;
import offhours.local.api.LocalApiGateway;
import offhours.local.auth.ApiSignatures;
import offhours.local.auth.StackCredentials;
import offhours.local.lambda.LambdaApiSocket;
import offhours.local.lambda.LocalLambda;
import offhours.local.lambda.LocalScheduler;
import offhours.local.model.DefaultModel;
import offhours.local.model.ModelFiles;
import offhours.local.model.OnnxContainer;
import offhours.local.model.Preprocessing;
import offhours.local.moto.MotoServer;
import offhours.local.process.ChildProcesses;
import offhours.local.sagemaker.ContainerSpec;
import offhours.local.sagemaker.LocalSageMaker;
import offhours.local.sagemaker.LocalSageMakerBuilder;
import offhours.local.sagemaker.ModelContainer;
import offhours.stack.Hosting;
import offhours.stack.StackSpec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Starts the local stack's pieces in order and wires them as template.yaml wires the real ones. Collects what it
 * opened, so a failure half-way closes exactly that.
 */
final class DeploymentWiring {
  /** How long the local SageMaker takes to delete an endpoint, a config or a component: a second, not AWS's minutes. */
  static final Duration DELETING_DELAY = Duration.ofSeconds(1);

  final Deque<AutoCloseable> resources = new ArrayDeque<>();
  final StackSpec.Names names = StackSpec.Names.local();
  final AwsBasicCredentials credentials = StackCredentials.generate();
  /** The processes outside this JVM that the stack starts (npm and node, moto_server, the container command's). */
  final ChildProcesses children;

  MotoServer moto;
  LocalSageMaker sageMaker;
  LocalLambda lambda;
  LocalScheduler scheduler;
  LocalApiGateway api;
  AwsClients clients;
  LocalResources.Provisioned provisioned;
  String mappingUuid;

  /** The model the functions are given at the start, its environments and what else follows from it. */
  ServedModel current;
  /** What gives the running stack a new model ({@link LocalDeployment#update}). */
  ModelSwitch modelSwitch;

  S3Client s3;
  SqsClient sqs;
  DynamoDbClient dynamoDb;

  DeploymentWiring(ChildProcesses children) {
    this.children = children;
  }

  private <T extends AutoCloseable> T open(T resource) {
    resources.push(resource);
    return resource;
  }

  void start(LocalDeployment.Options options, PrintStream progress, Clock controllerClock)
      throws IOException, InterruptedException {
    Path logs = LocalDirectory.logs(options.cacheDir());
    // The model first: on a first run it is fetched and converted, and a missing node/npm should
    // fail fast.
    ModelFiles model = model(options, progress, children);
    Optional<Path> labelFile = options.labels().or(() -> Optional.ofNullable(model.labels()));
    ModelFiles served = new ModelFiles(model.onnx(), labelFile.orElse(null));
    // A container whose answers name their classes needs no labels file.
    List<String> labels = labelFile.isEmpty() ? List.of() : served.readLabels();
    if (served.onnx() != null) {
      // A label list that does not fit the model's outputs would send every upload to the DLQ, and
      // a model that does not load would fail every endpoint: say so now. The default model too: a
      // copy in the cache cut short or edited passed until the endpoint failed. Its input is read
      // at the --input-size given, as its container will.
      try {
        OnnxContainer.checkLabels(served, Preprocessing.of(options.modelSettings()));
      } catch (IOException e) {
        if (options.model().isPresent() || options.labels().isPresent()) {
          throw e;
        }
        Path dir = served.onnx().toAbsolutePath().getParent();
        throw new IOException(
            "the default model cached in " + dir + " does not load or fit its labels ("
                + e.getMessage() + "); delete " + dir + " and start again, which fetches it anew",
            e);
      }
    }

    progress.println("starting moto_server (S3, SQS, DynamoDB)...");
    moto = open(MotoServer.start(logs.resolve("moto_server.log"), children));
    progress.println("starting the local SageMaker...");
    LocalSageMakerBuilder sageMakerSettings = LocalSageMaker.builder()
        .credentials(credentials)
        .creatingDelay(options.creatingDelay())
        .deletingDelay(DELETING_DELAY)
        .logDirectory(logs)
        .processRecorder(children)
        .container(StackModel.ONNX_IMAGE, DeploymentWiring::onnxContainer);
    options.containerCommand().ifPresent(sageMakerSettings::containerCommand);
    sageMaker = open(sageMakerSettings.start());

    // The local Lambda's API is bound first so that one set of clients knows every endpoint: bound,
    // not probed, so no other process can take the port before the Lambda serves on it.
    LambdaApiSocket lambdaApi = open(LambdaApiSocket.bind());
    int lambdaPort = lambdaApi.port();
    clients = open(AwsClients.local(
        Region.of(LocalDeployment.REGION),
        credentials,
        Map.of(
            Service.S3,
            moto.endpoint(),
            Service.SQS,
            moto.endpoint(),
            Service.DYNAMODB,
            moto.endpoint(),
            Service.SAGEMAKER,
            sageMaker.endpoint(),
            Service.SAGEMAKER_RUNTIME,
            sageMaker.endpoint(),
            Service.LAMBDA,
            URI.create("http://127.0.0.1:" + lambdaPort),
            // The controller sets the retention of the container's log groups there; the local
            // SageMaker writes its containers' output to files instead, so none exists and the call
            // finds nothing to do.
            Service.LOGS,
            moto.endpoint())));
    s3 = open(clients.build(Service.S3, S3Client.builder().forcePathStyle(true)));
    sqs = open(clients.build(Service.SQS, SqsClient.builder()));
    dynamoDb = open(clients.build(Service.DYNAMODB, DynamoDbClient.builder()));

    LocalResources local = new LocalResources(s3, sqs, dynamoDb);
    provisioned = local.provision(names);
    // The labels file goes to S3, as LabelsS3Uri on AWS: every function reads it from there.
    String labelsS3Uri =
        labels.isEmpty() ? "" : local.putLabels(LocalResources.MODELS_BUCKET, labels);
    createModel(options, model);

    lambda = open(LocalLambda.builder(sqs)
        .credentials(credentials)
        .region(LocalDeployment.REGION)
        .api(lambdaApi)
        .start());

    Map<String, String> classifyEnv =
        FunctionEnvironments.classify(names, provisioned, labelsS3Uri, options);
    ClassifyConfig classify = ClassifyConfig.fromEnv(classifyEnv);
    // Each function builds its handler and clients per execution environment, as on Lambda.
    StackFunctions.classify(lambda, names.classifyFunction(), clients, classify);
    mappingUuid = createMapping();
    sweepTestEvent(progress);

    Map<String, String> controllerEnv =
        FunctionEnvironments.controller(names, provisioned, mappingUuid, labelsS3Uri, options);
    ControllerConfig controllerConfig = ControllerConfig.fromEnvironment(controllerEnv);
    StackFunctions.controller(lambda, clients, controllerConfig, controllerClock);
    createTimerMapping();
    scheduler = open(new LocalScheduler());
    scheduler.schedule(
        LocalDeployment.CONTROLLER_FUNCTION,
        options.controllerTick(),
        StackSpec.SCHEDULER_TICK,
        lambda.invoker(LocalDeployment.CONTROLLER_FUNCTION));

    // The HTTP API: the same handler as on AWS, a function of the local Lambda's with execution
    // environments of its own and the template's Timeout, behind a local front that speaks API
    // Gateway's payload format 2.0.
    Map<String, String> apiEnv =
        FunctionEnvironments.api(names, provisioned, mappingUuid, labelsS3Uri, options);
    StackFunctions.api(lambda, clients, ApiConfig.fromEnv(apiEnv, true), classify, controllerClock);
    api = open(LocalApiGateway.start(
        lambda.invoker(LocalDeployment.API_FUNCTION),
        new ApiSignatures(credentials, LocalDeployment.REGION),
        controllerClock));
    current = new ServedModel(
        1,
        options,
        served,
        options.containerCommand().isPresent() ? StackModel.firstCommandImage() : null,
        names,
        labels,
        StateFile.Served.of(
            options.model(), options.labels(), options.containerCommand(), options.modelSettings()),
        classifyEnv,
        controllerEnv,
        apiEnv,
        controllerConfig);
    modelSwitch = new ModelSwitch(
        clients,
        sageMaker,
        lambda,
        ModelSwitch.Labels.in(local),
        provisioned,
        mappingUuid,
        controllerClock);
  }

  private static ModelFiles model(
      LocalDeployment.Options options, PrintStream progress, ChildProcesses children)
      throws IOException {
    if (options.containerCommand().isPresent()) {
      return new ModelFiles(null, options.labels().orElse(null));
    }
    if (options.model().isPresent()) {
      Path onnx = options.model().get();
      if (!Files.isRegularFile(onnx)) {
        throw new IOException("model file " + onnx + " does not exist");
      }
      return new ModelFiles(onnx, options.labels().orElseThrow());
    }
    return DefaultModel.ensure(options.cacheDir(), children, progress);
  }

  private void createModel(LocalDeployment.Options options, ModelFiles model) {
    try (SageMakerClient sm = clients.build(Service.SAGEMAKER, SageMakerClient.builder())) {
      StackModel.create(
          sm, sageMaker.accountId(), names, options, model, StackModel.firstCommandImage());
      if (options.hosting() == Hosting.SERVERLESS) {
        // As the template's ServerlessEndpoint: the stack owns it, tagged so the controller feeds
        // it and another hosting's controller knows it even when it failed early.
        sm.createEndpoint(r -> r.endpointName(names.endpoint())
            .endpointConfigName(names.endpointConfig())
            .tags(
                tag -> tag.key(SageMakerEndpoint.STACK_TAG).value(FunctionEnvironments.STACK_ID),
                tag -> tag.key(SageMakerEndpoint.HOSTING_TAG).value(Hosting.SERVERLESS.value())));
      }
    }
  }

  private String createMapping() {
    StackSpec.Trigger trigger = StackSpec.TRIGGER;
    try (LambdaClient api = clients.build(Service.LAMBDA, LambdaClient.builder())) {
      // Disabled, as the template deploys it: the controller enables it after a successful test
      // invocation.
      return api.createEventSourceMapping(r -> r.functionName(names.classifyFunction())
              .eventSourceArn(provisioned.queueArn())
              .enabled(false)
              .batchSize(trigger.batchSize())
              .maximumBatchingWindowInSeconds(FunctionEnvironments.BATCHING_WINDOW_SECONDS)
              .functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES)
              .scalingConfig(s -> s.maximumConcurrency(2)))
          .uuid();
    }
  }

  /**
   * Local mode's budget for the test-event sweep. moto_server has put the test event in the queue by the time it
   * answers the notification's put and answers every receive at once, so the sweep deletes it at once; the budget
   * bounds the empty long poll (1 s) that ends the sweep, and the local start's delay with it.
   */
  private static final Duration TEST_EVENT_SWEEP = Duration.ofSeconds(2);

  /**
   * Takes the s3:TestEvent that moto_server, like S3, sent when the bucket's notification was put off the images
   * queue, as the stack's custom resource does on AWS and with the same code: otherwise the controller, which counts
   * every message as an upload, would wake the endpoint for it on every start. Runs before the controller's first run,
   * while the trigger is disabled; the queue is new (moto_server starts with the stack), so no upload can be among its
   * messages. It never throws; what it did is a progress line.
   */
  private void sweepTestEvent(PrintStream progress) {
    try (LambdaClient api = clients.build(Service.LAMBDA, LambdaClient.builder())) {
      sweepTestEvent(
          testEventSweep(
              new LambdaMapping(api, mappingUuid),
              new SqsBacklog(sqs, provisioned.queueUrl(), null),
              new SqsSweptQueue(sqs, provisioned.queueUrl()),
              Clock.systemUTC()),
          progress);
    }
  }

  /**
   * The sweep as local mode's start runs it: a failure's words say the local stack's log has AWS's answer (its line
   * below, {@link #sweepTestEvent(TestEventSweep, PrintStream)}), not the controller's, which did not run it.
   */
  static TestEventSweep testEventSweep(
      Mapping mapping, Backlog backlog, TestEventSweep.SweptQueue queue, Clock clock) {
    return new TestEventSweep(mapping, backlog, queue, clock, "the local stack");
  }

  /**
   * Runs {@code sweep} on the new queue and says what it did on {@code progress}, the local stack's stderr and so its
   * log: the sweep's note, then, when AWS failed a call, AWS's own answer to it ("AWS's answer to the queue's receive
   * or delete: CODE (HTTP n, request id): message"), as the cleanup function's log line carries it on AWS. The note
   * says the failure in offhours' words only, which leave out the error code and message that say why.
   */
  static void sweepTestEvent(TestEventSweep sweep, PrintStream progress) {
    TestEventSweep.Swept swept = sweep.sweep(false, TEST_EVENT_SWEEP);
    progress.println(
        swept.awsSaid() == null ? swept.note() : swept.note() + "; " + swept.awsSaid());
  }

  /** The controller's SQS event source on its timer queue, enabled from the start as the template deploys it. */
  private void createTimerMapping() {
    try (LambdaClient api = clients.build(Service.LAMBDA, LambdaClient.builder())) {
      api.createEventSourceMapping(r -> r.functionName(LocalDeployment.CONTROLLER_FUNCTION)
          .eventSourceArn(provisioned.timerQueueArn())
          .enabled(true)
          .batchSize(StackSpec.TIMER_QUEUE.batchSize())
          .maximumBatchingWindowInSeconds(StackSpec.TIMER_QUEUE.batchingWindowSeconds())
          .scalingConfig(sc -> sc.maximumConcurrency(2)));
    }
  }

  static ModelContainer onnxContainer(ContainerSpec spec) throws IOException {
    if (spec.modelDataUrl() == null || !spec.modelDataUrl().startsWith("file:")) {
      throw new IOException(
          "the local ONNX container needs ModelDataUrl file:///path/model.onnx, got "
              + spec.modelDataUrl());
    }
    // The model's own preprocessing (--resize, --resample, --normalize, --input-size), as its
    // environment carries it (StackModel); a value no setting takes is refused when the endpoint
    // is created.
    Preprocessing preprocessing;
    try {
      preprocessing = Preprocessing.of(spec.environment());
    } catch (IllegalArgumentException e) {
      throw new IOException("the local ONNX container's environment: " + e.getMessage(), e);
    }
    // Port 0: the server binds a free port itself and reports it; a port probed first could be
    // taken by another process before the bind.
    OnnxContainer container =
        OnnxContainer.start(Path.of(URI.create(spec.modelDataUrl())), 0, preprocessing);
    return ModelContainer.of(container.baseUri(), container::close);
  }

  /** Stops what was opened, newest first; nothing is left running. */
  static void closeAll(Deque<AutoCloseable> resources) {
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        System.err.println("offhours: while stopping the local stack: " + e);
      }
    }
  }
}
