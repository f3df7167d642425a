package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.local.lambda.LocalLambda;
import offhours.local.model.ModelFiles;
import offhours.local.sagemaker.LocalSageMaker;
import offhours.stack.StackSpec;
import offhours.testing.StubHttpServer;
import offhours.testing.UnusedSqs;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/**
 * A model update that fails half-way is rolled back, as CloudFormation rolls back a stack update: against a real
 * local SageMaker and local Lambda (whose functions run the tests' handlers until an update replaces them), the Model
 * and labels file it created are gone, the image it registered for its command is served no longer, every function
 * answers as before, and the same update tried again succeeds under names of its own.
 */
class ModelSwitchRollbackTest {

  private static final StackSpec.Names START = StackSpec.Names.local();

  @TempDir
  Path dir;

  /** The models bucket's labels files, by key. */
  private final Map<String, List<String>> labelFiles = new ConcurrentHashMap<>();
  /** S3 as Classify's and the API's inits read it: the labels files, whatever the request's signature. */
  private final StubHttpServer s3 = StubHttpServer.start(request -> {
    String prefix = "/" + LocalResources.MODELS_BUCKET + "/";
    List<String> labels = request.path().startsWith(prefix)
        ? labelFiles.get(request.path().substring(prefix.length()))
        : null;
    return labels == null
        ? StubHttpServer.Reply.empty(404)
        : new StubHttpServer.Reply(
            200,
            Map.of("Content-Type", "text/plain"),
            String.join("\n", labels).getBytes(StandardCharsets.UTF_8));
  });
  /** What the labels file's put and delete throw, when set: an Error in the middle of an update or of its undoing. */
  private volatile Error putThrows;

  private volatile Error deleteThrows;

  /** Serving the stack's first container command, as the stack's starts it. */
  private final LocalSageMaker sageMaker = LocalSageMaker.builder()
      .region(Region.of(LocalDeployment.REGION))
      .containerCommand("python3 serve.py")
      .start();

  private final AwsClients clients = AwsClients.local(
      Region.of(LocalDeployment.REGION),
      sageMaker.credentials(),
      // The functions' SQS and DynamoDB clients point where nothing listens: their inits
      // only build them.
      Map.of(
          Service.SAGEMAKER, sageMaker.endpoint(),
          Service.SAGEMAKER_RUNTIME, sageMaker.endpoint(),
          Service.S3, s3.uri(),
          Service.SQS, URI.create("http://127.0.0.1:1"),
          Service.DYNAMODB, URI.create("http://127.0.0.1:1")));
  private final SageMakerClient sm = clients.build(Service.SAGEMAKER, SageMakerClient.builder());
  private final LocalLambda lambda = LocalLambda.builder(UnusedSqs.client()).start();

  private final ModelSwitch modelSwitch = new ModelSwitch(
      clients,
      sageMaker,
      lambda,
      new ModelSwitch.Labels() {
        @Override
        public String put(String key, List<String> labels) {
          if (putThrows != null) {
            throw putThrows;
          }
          labelFiles.put(key, labels);
          return "s3://" + LocalResources.MODELS_BUCKET + "/" + key;
        }

        @Override
        public void delete(String key) {
          if (deleteThrows != null) {
            throw deleteThrows;
          }
          labelFiles.remove(key);
        }
      },
      LocalFixtures.PROVISIONED,
      "mapping-uuid",
      Clock.systemUTC());

  @AfterEach
  void close() {
    lambda.close();
    sm.close();
    clients.close();
    sageMaker.close();
    s3.close();
  }

  @Test
  void anEndpointConfigThatFailsAfterItsModelLeavesNoModelBehindAndTheRetryTakesTheNextNames()
      throws IOException {
    registerAll();
    ServedModel now = startedStack();
    // What makes the update's CreateEndpointConfig fail once its CreateModel succeeded.
    sm.createModel(r -> r.modelName("other")
        .executionRoleArn("arn:aws:iam::123456789012:role/other")
        .primaryContainer(c -> c.image(StackModel.firstCommandImage())));
    sm.createEndpointConfig(r -> r.endpointConfigName("offhours-endpoint-config-2")
        .productionVariants(v -> v.variantName("other")
            .modelName("other")
            .instanceType("ml.m5.large")
            .initialInstanceCount(1)));
    ModelUpdate update = commandUpdate();

    assertThatThrownBy(() -> modelSwitch.apply(now, update))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("the update to model offhours-model-2 failed while creating"
            + " endpoint config offhours-endpoint-config-2: ")
        .hasMessageEndingWith("; it was undone, and the local stack still serves model"
            + " offhours-model (endpoint config offhours-endpoint-config) as before: correct the"
            + " update and try it again");
    assertThatThrownBy(() -> sm.describeModel(r -> r.modelName("offhours-model-2")))
        .as("the model the failed update created")
        .isInstanceOf(SageMakerException.class);
    assertThat(labelFiles).as("the labels files left").isEmpty();
    assertAnswersAsBefore();

    ServedModel next = modelSwitch.apply(now, update);
    assertThat(next.names().model()).isEqualTo("offhours-model-3");
    assertThat(next.names().endpointConfig()).isEqualTo("offhours-endpoint-config-3");
    assertThat(sm.describeEndpointConfig(r -> r.endpointConfigName("offhours-endpoint-config-3"))
            .productionVariants())
        .extracting(v -> v.modelName())
        .containsExactly("offhours-model-3");
    assertThat(labelFiles).containsOnlyKeys("labels-offhours-model-3.txt");
  }

  @Test
  void aFunctionThatCannotBeSwitchedSwitchesTheOnesBeforeItBackAndDeletesWhatWasCreated()
      throws IOException {
    // No controller yet: the update's third switch fails, after Classify's and the API's.
    register(START.classifyFunction());
    register(LocalDeployment.API_FUNCTION);
    ServedModel now = startedStack();
    ModelUpdate update = commandUpdate();

    assertThatThrownBy(() -> modelSwitch.apply(now, update))
        .isInstanceOf(IOException.class)
        .hasMessage("the update to model offhours-model-2 failed while switching function"
            + " offhours-controller to it: no function offhours-controller is registered; it was"
            + " undone, and the local stack still serves model offhours-model (endpoint config"
            + " offhours-endpoint-config) as before: correct the update and try it again");
    assertAnswersAsBefore();
    assertRevisionTwoDeleted();
    assertThat(labelFiles).as("the labels files left").isEmpty();
    assertNotServed(LocalSageMaker.COMMAND_IMAGE + "-2");

    lambda.registerJsonFunction(
        LocalDeployment.CONTROLLER_FUNCTION, (event, context) -> "old", Duration.ofSeconds(30));
    assertThat(modelSwitch.apply(now, update).names().model())
        .as("the same update, once it can be applied")
        .isEqualTo("offhours-model-3");
    assertThat(invoke(START.classifyFunction())).as("Classify, updated").isNotEqualTo("old");
  }

  /**
   * An Error part-way (here while the labels file is written, after the command's image was served) is thrown as it
   * was, once what was done is undone, with the words that name the step riding in it.
   */
  @Test
  void anErrorPartWayIsRolledBackThenThrownAsItWas() throws IOException {
    registerAll();
    ServedModel now = startedStack();
    LinkageError linkage = new LinkageError("a class of the update's changed on disk");
    putThrows = linkage;

    assertThatThrownBy(() -> modelSwitch.apply(now, commandUpdate()))
        .isSameAs(linkage)
        .satisfies(e -> assertThat(e.getSuppressed())
            .singleElement(InstanceOfAssertFactories.THROWABLE)
            .isInstanceOf(IOException.class)
            .hasMessage("the update to model offhours-model-2 failed while writing its labels file"
                + " labels-offhours-model-2.txt: a class of the update's changed on disk; it was"
                + " undone, and the local stack still serves model offhours-model (endpoint config"
                + " offhours-endpoint-config) as before: correct the update and try it again"));
    assertNotServed(LocalSageMaker.COMMAND_IMAGE + "-2");
    assertAnswersAsBefore();
  }

  /**
   * An Error in one undo step stops none after it: the functions are switched back, the model and endpoint config
   * deleted, the image served no longer; the Error is thrown once all ran, with words naming the step that failed and
   * the one that could not be undone.
   */
  @Test
  void anErrorInOneUndoStepStopsNoneAfterIt() {
    // No controller yet: the update's third switch fails, after Classify's and the API's.
    register(START.classifyFunction());
    register(LocalDeployment.API_FUNCTION);
    OutOfMemoryError memory = new OutOfMemoryError("Java heap space");
    deleteThrows = memory;

    assertThatThrownBy(() -> modelSwitch.apply(startedStack(), commandUpdate()))
        .isSameAs(memory)
        .satisfies(e -> assertThat(e.getSuppressed())
            .singleElement(InstanceOfAssertFactories.THROWABLE)
            .isInstanceOf(IOException.class)
            .hasMessage("the update to model offhours-model-2 failed while switching function"
                + " offhours-controller to it: no function offhours-controller is registered;"
                + " undoing it failed at deleting labels-offhours-model-2.txt (Java heap space),"
                + " so the local stack may serve part of the new model beside offhours-model"
                + " (endpoint config offhours-endpoint-config): stop it and start it with the"
                + " model you want"));
    assertAnswersAsBefore();
    assertRevisionTwoDeleted();
    assertNotServed(LocalSageMaker.COMMAND_IMAGE + "-2");
  }

  /** The image a failed update registered for its container command is served no longer: no model may name it. */
  /** The model and endpoint config the failed update created are gone. */
  private void assertRevisionTwoDeleted() {
    assertThatThrownBy(() -> sm.describeModel(r -> r.modelName("offhours-model-2")))
        .as("the model the failed update created")
        .isInstanceOf(SageMakerException.class);
    assertThatThrownBy(() ->
            sm.describeEndpointConfig(r -> r.endpointConfigName("offhours-endpoint-config-2")))
        .as("the endpoint config the failed update created")
        .isInstanceOf(SageMakerException.class);
  }

  private void assertNotServed(String image) {
    assertThatThrownBy(() -> sm.createModel(r -> r.modelName("naming-" + image.replace('/', '-'))
            .executionRoleArn("arn:aws:iam::123456789012:role/other")
            .primaryContainer(c -> c.image(image))))
        .as("a model of the image the failed update registered for its command")
        .isInstanceOf(SageMakerException.class)
        .hasMessageContaining("Image \"" + image + "\" is not known");
  }

  private void registerAll() {
    register(START.classifyFunction());
    register(LocalDeployment.API_FUNCTION);
    lambda.registerJsonFunction(
        LocalDeployment.CONTROLLER_FUNCTION, (event, context) -> "old", Duration.ofSeconds(30));
  }

  /** Function {@code name} with a handler that answers "old", as before any update. */
  private void register(String name) {
    lambda.registerFunction(
        name,
        (in, out, context) -> out.write("old".getBytes(StandardCharsets.UTF_8)),
        Duration.ofSeconds(30));
  }

  private void assertAnswersAsBefore() {
    assertThat(invoke(START.classifyFunction()))
        .as("Classify after the rollback")
        .isEqualTo("old");
    assertThat(invoke(LocalDeployment.API_FUNCTION))
        .as("the API function after the rollback")
        .isEqualTo("old");
  }

  private String invoke(String function) {
    byte[] response =
        lambda.invoker(function).invoke("{}".getBytes(StandardCharsets.UTF_8)).response();
    return response == null ? "" : new String(response, StandardCharsets.UTF_8);
  }

  /** Another container command, with its labels. */
  private ModelUpdate commandUpdate() throws IOException {
    Path labels = Files.writeString(dir.resolve("new-labels.txt"), "jpeg\npng\n");
    return new ModelUpdate(
        Optional.empty(), Optional.of(labels), Optional.of("python3 other.py"), Map.of());
  }

  /** A stack served by a container command with labels cat and dog, as its start left it. */
  private ServedModel startedStack() throws IOException {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n");
    LocalDeployment.Options options = new LocalDeployment.Options(
        dir,
        Optional.empty(),
        Optional.of(labels),
        Optional.of("python3 serve.py"),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Map.of());
    ModelFiles files = new ModelFiles(null, labels);
    return new ServedModel(
        1,
        options,
        files,
        StackModel.firstCommandImage(),
        START,
        files.readLabels(),
        StateFile.Served.of(options.model(), options.labels(), options.containerCommand()),
        Map.of(),
        Map.of(),
        Map.of(),
        null);
  }
}
