package offhours.local;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import offhours.api.ApiConfig;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.classify.ClassifyConfig;
import offhours.endpoint.ControllerConfig;
import offhours.inference.ModelContract;
import offhours.local.lambda.ExecutionEnvironment;
import offhours.local.lambda.LocalLambda;
import offhours.local.model.DefaultModel;
import offhours.local.model.ModelFiles;
import offhours.local.model.OnnxContainer;
import offhours.local.model.Preprocessing;
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
 *
 * <p>An update that fails half-way is rolled back, as CloudFormation rolls back a failed stack update: the functions
 * already switched get their previous configuration again, the Model, EndpointConfig and labels file it created
 * are deleted, and the image it registered for a new container command is served no longer ({@link Rollback}). Its
 * revision is never given again, so a corrected update tries new names.
 */
final class ModelSwitch {

  /** Where a model's labels file goes, beside the ones in use: the stack's models bucket. */
  interface Labels {
    /** Writes {@code labels} under {@code key}; returns the file's {@code s3://} URI. */
    String put(String key, List<String> labels);

    /** Deletes the file {@link #put} wrote under {@code key}. */
    void delete(String key);

    /** The labels files in {@code resources}' {@link LocalResources#MODELS_BUCKET}. */
    static Labels in(LocalResources resources) {
      return new Labels() {
        @Override
        public String put(String key, List<String> labels) {
          return resources.putLabels(LocalResources.MODELS_BUCKET, key, labels);
        }

        @Override
        public void delete(String key) {
          resources.deleteLabels(LocalResources.MODELS_BUCKET, key);
        }
      };
    }
  }

  private final AwsClients clients;
  private final LocalSageMaker sageMaker;
  private final LocalLambda lambda;
  private final Labels labelFiles;
  private final LocalResources.Provisioned provisioned;
  private final String mappingUuid;
  private final Clock controllerClock;
  /**
   * The revision the last update tried, whether it succeeded or not (guarded by {@link LocalDeployment#update}'s
   * lock): a failed attempt's names are never given again, so one whose undoing failed blocks no retry.
   */
  private int lastRevision = 1;

  ModelSwitch(
      AwsClients clients,
      LocalSageMaker sageMaker,
      LocalLambda lambda,
      Labels labelFiles,
      LocalResources.Provisioned provisioned,
      String mappingUuid,
      Clock controllerClock) {
    this.clients = clients;
    this.sageMaker = sageMaker;
    this.lambda = lambda;
    this.labelFiles = labelFiles;
    this.provisioned = provisioned;
    this.mappingUuid = mappingUuid;
    this.controllerClock = controllerClock;
  }

  /**
   * The model settings of a stack of {@code was} after {@code update}: those it gives replace those of {@code was}. A
   * new model's images are prepared as its update says (NORMALIZE, RESIZE, INPUT_SIZE), else as the default model's
   * (at its input's own size), never as the old model's: how they were prepared is no fact of the new model.
   */
  static Map<String, String> settingsAfter(LocalDeployment.Options was, ModelUpdate update) {
    Map<String, String> settings = new HashMap<>(was.modelSettings());
    if (update.newModel()) {
      settings.keySet().removeAll(Preprocessing.SETTINGS);
    }
    settings.putAll(update.modelSettings());
    return settings;
  }

  /**
   * Gives the stack serving {@code now} the model of {@code update}; returns what it serves from then on.
   *
   * @throws IllegalArgumentException when the update changes nothing, or the stack's hosting is serverless
   * @throws IOException when a file cannot be read, the labels do not fit the model's outputs, or a step of the update
   *     failed, whose message says which and what the stack serves after the rollback
   * @throws Error an Error a step or its undoing threw, after the rollback, with that IOException suppressed in it
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
    if (update.labels().isPresent() && model.isEmpty() && command.isEmpty()) {
      // Labels alone relabel the model served: the user's own, never the default, whose classes
      // they would rename.
      throw new IllegalArgumentException("--labels alone relabels the model the local stack serves,"
          + " and it serves none of yours: " + DefaultModel.NAMES_ITS_OWN_CLASSES
          + "; give --model or --container-command with --labels");
    }
    ModelFiles files = update.newModel()
        ? new ModelFiles(model.orElse(null), labels.orElse(null))
        : new ModelFiles(now.files().onnx(), labels.orElse(now.files().labels()));
    List<String> labelList = files.labels() == null ? List.of() : files.readLabels();
    Map<String, String> settings = settingsAfter(was, update);
    boolean ownSize = false;
    if (files.onnx() != null) {
      // Labels that do not fit would send every upload to the DLQ; the input is read at the size
      // the update leaves it, as its container will.
      ownSize = OnnxContainer.checkLabels(files, Preprocessing.of(settings));
    }
    // A model file or command given is a new model even at the same path or words: the file may
    // have been trained again, the command's code edited, and the new endpoint loads them afresh.
    if (!update.newModel()
        && labelList.equals(now.labels())
        && sameSettings(settings, was.modelSettings(), model.isPresent(), ownSize)) {
      // A setting the stack was not started with is no setting it has already: say why it
      // changes nothing, or the user is told of a setting the stack does not show.
      throw new IllegalArgumentException("nothing changed: the local stack serves this model"
          + " with these labels and settings already" + sameBecause(settings, was.modelSettings()));
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
    int revision = Math.max(now.revision(), lastRevision) + 1;
    lastRevision = revision;
    StackSpec.Names names = now.names().withModelRevision(revision);
    Rollback rollback = new Rollback();
    String step = "serving its container command";
    try (SageMakerClient sm = clients.build(Service.SAGEMAKER, SageMakerClient.builder())) {
      try {
        boolean sameCommand = command.equals(was.containerCommand()) && now.commandImage() != null;
        String commandImage = command.isEmpty()
            ? null
            : sameCommand ? now.commandImage() : sageMaker.serveCommand(command.get());
        if (commandImage != null && !sameCommand) {
          // Oldest, so undone last: after the model that names it is deleted.
          rollback.done(
              "no longer serving image " + commandImage, () -> sageMaker.stopServing(commandImage));
        }
        // Beside the old labels, which Classify's environments in flight still read.
        String labelsKey = "labels-" + names.model() + ".txt";
        step = "writing its labels file " + labelsKey;
        String labelsS3Uri = labelList.isEmpty() ? "" : labelFiles.put(labelsKey, labelList);
        if (!labelList.isEmpty()) {
          rollback.done("deleting " + labelsKey, () -> labelFiles.delete(labelsKey));
        }
        Map<String, String> classifyEnv =
            FunctionEnvironments.classify(names, provisioned, labelsS3Uri, next);
        Map<String, String> controllerEnv =
            FunctionEnvironments.controller(names, provisioned, mappingUuid, labelsS3Uri, next);
        Map<String, String> apiEnv =
            FunctionEnvironments.api(names, provisioned, mappingUuid, labelsS3Uri, next);
        step = "reading its functions' settings";
        // Read before anything changes, as each function's start reads them.
        ClassifyConfig classify = ClassifyConfig.fromEnv(classifyEnv);
        ControllerConfig controller = ControllerConfig.fromEnvironment(controllerEnv);
        ApiConfig api = ApiConfig.fromEnv(apiEnv, true);

        step = "creating model " + names.model();
        StackModel.createModel(sm, sageMaker.accountId(), names, next, files, commandImage);
        rollback.done(
            "deleting model " + names.model(),
            () -> sm.deleteModel(r -> r.modelName(names.model())));
        step = "creating endpoint config " + names.endpointConfig();
        StackModel.createEndpointConfig(sm, sageMaker.accountId(), names, next);
        rollback.done(
            "deleting endpoint config " + names.endpointConfig(),
            () -> sm.deleteEndpointConfig(r -> r.endpointConfigName(names.endpointConfig())));
        // The controller last: once it runs the new config it replaces the endpoint, which no
        // undo reverses, so nothing may fail after it.
        step = "switching function " + names.classifyFunction() + " to it";
        switched(
            rollback,
            names.classifyFunction(),
            lambda.updateFunction(
                names.classifyFunction(), StackFunctions.classifyInit(clients, classify)));
        step = "switching function " + LocalDeployment.API_FUNCTION + " to it";
        switched(
            rollback,
            LocalDeployment.API_FUNCTION,
            lambda.updateFunction(
                LocalDeployment.API_FUNCTION,
                StackFunctions.apiInit(clients, api, classify, controllerClock)));
        step = "switching function " + LocalDeployment.CONTROLLER_FUNCTION + " to it";
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
            StateFile.Served.of(model, labels, command, settings),
            classifyEnv,
            controllerEnv,
            apiEnv,
            controller);
      } catch (IOException | RuntimeException | Error e) {
        // Whatever failed (an Error too: a LinkageError of a function's init, an OutOfMemoryError
        // while its environment starts), what was done is undone before anything is thrown.
        List<String> notUndone = rollback.undo();
        Error error = e instanceof Error thrown ? thrown : rollback.error();
        if (error != null && rollback.error() != null && error != rollback.error()) {
          error.addSuppressed(rollback.error());
        }
        if (error == null) {
          throw failed(now, names, step, e, notUndone, e);
        }
        // An Error goes on as it was, what the update's answer says riding with it.
        error.addSuppressed(failed(now, names, step, e, notUndone, e == error ? null : e));
        throw error;
      }
    }
  }

  /**
   * Whether model settings {@code after} give the model what {@code before} gave it, compared by value: a setting
   * given as its default is the default left out ({@code --normalize unit}, {@code --resize stretch}, {@code
   * --content-type application/x-image}), one spelling the same as another, and an INPUT_SIZE aside where the model's
   * input fixes its own size ({@code ownSize}), which it is fed whatever is given (another size was refused), as the
   * same setting given again changes nothing. Without an ONNX model of --model ({@code ownModel} false: a command,
   * the default model) those settings are the stack's to refuse, so they are compared as given: one given goes on
   * to that refusal, and is never said to be what the stack uses already.
   */
  private static boolean sameSettings(
      Map<String, String> after, Map<String, String> before, boolean ownModel, boolean ownSize) {
    if (!ownModel && !Preprocessing.among(after).equals(Preprocessing.among(before))) {
      return false;
    }
    Preprocessing a = Preprocessing.of(after);
    Preprocessing b = Preprocessing.of(before);
    if (ownSize) {
      a = new Preprocessing(a.normalization(), a.resize(), a.resample(), Optional.empty());
      b = new Preprocessing(b.normalization(), b.resize(), b.resample(), Optional.empty());
    }
    return a.equals(b)
        && ModelContract.fromEnv(after).equals(ModelContract.fromEnv(before))
        && others(after).equals(others(before));
  }

  /** The settings other than those an update changes, which are compared by value: compared as text. */
  private static Map<String, String> others(Map<String, String> settings) {
    Map<String, String> others = new HashMap<>(settings);
    others.keySet().removeAll(ModelUpdate.SETTINGS);
    return others;
  }

  /**
   * Why settings {@code after}, the same by value as {@code before}, change nothing where their text differs: each
   * setting given that the stack did not have, or had in another spelling, named with what it is; empty when none.
   */
  private static String sameBecause(Map<String, String> after, Map<String, String> before) {
    List<String> reasons = new ArrayList<>();
    for (String key : new TreeSet<>(after.keySet())) {
      String value = after.get(key);
      if (value.equals(before.get(key))) {
        continue;
      }
      String flag = Preprocessing.flag(key);
      reasons.add(flag + " " + value
          + (before.containsKey(key)
              ? " is what " + before.get(key) + " already was"
              : key.equals(Preprocessing.INPUT_SIZE)
                  ? " is the size the model's input fixes itself: it is fed that size, given or not"
                  : " is the default the stack already uses"));
    }
    return reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")";
  }

  /** Function {@code name} runs the update's init now; undoing that gives it {@code previous} again. */
  private void switched(Rollback rollback, String name, ExecutionEnvironment.Init previous) {
    rollback.done(
        "switching function " + name + " back", () -> lambda.updateFunction(name, previous));
  }

  /**
   * Why the update to {@code names}' model failed while doing {@code step} with {@code e}, and what the stack serves
   * after its undoing: the model it served before, or, when some step could not be undone, a stack to restart. Its
   * cause is {@code cause}: none when the Error it is suppressed in is {@code e} itself.
   */
  private static IOException failed(
      ServedModel now,
      StackSpec.Names names,
      String step,
      Throwable e,
      List<String> notUndone,
      Throwable cause) {
    String served = now.names().model() + " (endpoint config " + now.names().endpointConfig() + ")";
    String what = "the update to model " + names.model() + " failed while " + step + ": "
        + Rollback.why(e) + "; ";
    return new IOException(
        notUndone.isEmpty()
            ? what + "it was undone, and the local stack still serves model " + served
                + " as before: correct the update and try it again"
            : what + "undoing it failed at " + String.join(", ", notUndone) + ", so the local stack"
                + " may serve part of the new model beside " + served + ": stop it and start it"
                + " with the model you want",
        cause);
  }
}
