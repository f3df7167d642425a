package offhours.local;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.api.ApiConfig;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.classify.ClassifyConfig;
import offhours.endpoint.ControllerConfig;
import offhours.local.lambda.LocalLambda;
import offhours.local.model.ModelFiles;
import offhours.local.model.OnnxContainer;
import offhours.local.sagemaker.LocalSageMaker;
import offhours.stack.Hosting;
import offhours.stack.StackSpec;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * What CloudFormation does on AWS when a stack update changes the model, done on the running local stack: a new Model
 * and EndpointConfig under new names ({@link StackSpec.Names#withModelRevision}), the labels file beside the old one,
 * and the three functions' environment switched to the new names and settings as UpdateFunctionConfiguration switches
 * it ({@link LocalLambda#updateFunction}: new invocations see it, those in flight finish on the old). The queue, the
 * bucket, the results and the ledger stay. The endpoint is left alone: the controller sees it runs another config and
 * replaces it itself, and Classify defers every answer of the old model's variant meanwhile.
 */
final class ModelSwitch {
  private final AwsClients clients;
  private final LocalSageMaker sageMaker;
  private final LocalLambda lambda;
  private final LocalResources resources;
  private final LocalResources.Provisioned provisioned;
  private final String mappingUuid;
  private final Clock controllerClock;

  ModelSwitch(
      AwsClients clients,
      LocalSageMaker sageMaker,
      LocalLambda lambda,
      LocalResources resources,
      LocalResources.Provisioned provisioned,
      String mappingUuid,
      Clock controllerClock) {
    this.clients = clients;
    this.sageMaker = sageMaker;
    this.lambda = lambda;
    this.resources = resources;
    this.provisioned = provisioned;
    this.mappingUuid = mappingUuid;
    this.controllerClock = controllerClock;
  }

  /**
   * Gives the stack serving {@code now} the model of {@code update}; returns what it serves from then on.
   *
   * @throws IllegalArgumentException when the update changes nothing, or the stack's hosting is serverless
   * @throws IOException when a file cannot be read, or the labels do not fit the model's outputs
   */
  ServedModel apply(ServedModel now, ModelUpdate update) throws IOException {
    LocalDeployment.Options was = now.options();
    if (was.hosting() == Hosting.SERVERLESS) {
      // On AWS the update changes the stack's own serverless endpoint in place (UpdateEndpoint),
      // which the controller never replaces and the local stack does not play.
      throw new IllegalArgumentException(
          "the local stack runs HOSTING " + Hosting.SERVERLESS.value()
              + ", whose endpoint a stack update changes in place; a model update works with "
              + Hosting.SCHEDULED.value() + " and " + Hosting.SCALE_TO_ZERO.value()
              + ": stop the stack and start it with the new model");
    }
    Optional<Path> model = update.newModel() ? update.model() : was.model();
    Optional<String> command =
        update.newModel() ? update.containerCommand() : was.containerCommand();
    Optional<Path> labels =
        update.labels().isPresent() || update.newModel() ? update.labels() : was.labels();
    ModelFiles files = update.newModel()
        ? new ModelFiles(model.orElse(null), labels.orElse(null))
        : new ModelFiles(now.files().onnx(), labels.orElse(now.files().labels()));
    List<String> labelList = files.labels() == null ? List.of() : files.readLabels();
    if (files.onnx() != null) {
      OnnxContainer.checkLabels(files); // labels that do not fit would send every upload to the DLQ
    }
    Map<String, String> settings = new HashMap<>(was.modelSettings());
    settings.putAll(update.modelSettings());
    // A model file or command given is a new model even at the same path or words: the file may
    // have been trained
    // again, the command's code edited, and the new endpoint loads them afresh.
    if (!update.newModel()
        && labelList.equals(now.labels())
        && settings.equals(was.modelSettings())) {
      throw new IllegalArgumentException("nothing changed: the local stack serves this model"
          + " with these labels and settings already");
    }
    LocalDeployment.Options next = new LocalDeployment.Options(
        was.cacheDir(),
        model,
        labels,
        command,
        was.creatingDelay(),
        was.controllerTick(),
        was.controller(),
        settings);
    int revision = now.revision() + 1;
    StackSpec.Names names = now.names().withModelRevision(revision);
    // Beside the old labels, which Classify's environments in flight still read.
    String labelsS3Uri = labelList.isEmpty()
        ? ""
        : resources.putLabels(
            LocalResources.MODELS_BUCKET, "labels-" + names.model() + ".txt", labelList);
    Map<String, String> classifyEnv =
        FunctionEnvironments.classify(names, provisioned, labelsS3Uri, next);
    Map<String, String> controllerEnv =
        FunctionEnvironments.controller(names, provisioned, mappingUuid, labelsS3Uri, next);
    Map<String, String> apiEnv =
        FunctionEnvironments.api(names, provisioned, mappingUuid, labelsS3Uri, next);
    // Read before anything changes, as each function's start reads them.
    ClassifyConfig classify = ClassifyConfig.fromEnv(classifyEnv);
    ControllerConfig controller = ControllerConfig.fromEnvironment(controllerEnv);
    ApiConfig api = ApiConfig.fromEnv(apiEnv, true);

    String commandImage = command.isEmpty()
        ? null
        : command.equals(was.containerCommand()) && now.commandImage() != null
            ? now.commandImage()
            : sageMaker.serveCommand(command.get());
    try (SageMakerClient sm = clients.build(Service.SAGEMAKER, SageMakerClient.builder())) {
      StackModel.create(sm, sageMaker.accountId(), names, next, files, commandImage);
    }
    lambda.updateFunction(names.classifyFunction(), StackFunctions.classifyInit(clients, classify));
    lambda.updateFunction(
        LocalDeployment.API_FUNCTION,
        StackFunctions.apiInit(clients, api, classify, controllerClock));
    lambda.updateJsonFunction(
        LocalDeployment.CONTROLLER_FUNCTION,
        StackFunctions.controllerInit(clients, controller, controllerClock));
    return new ServedModel(
        revision,
        next,
        files,
        commandImage,
        names,
        labelList,
        StateFile.Served.of(model, labels, command),
        classifyEnv,
        controllerEnv,
        apiEnv,
        controller);
  }
}
