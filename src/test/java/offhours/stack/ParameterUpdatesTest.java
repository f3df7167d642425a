package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.stack.ParameterChanges.Change;
import org.junit.jupiter.api.Test;

/**
 * A stack update that changes parameters after the first deploy ({@link ParameterChanges}: every parameter between
 * several of its values, under each hosting) never replaces, creates or deletes what holds uploads, results or the
 * controller's state, never asks CloudFormation to replace a resource whose name the template sets (which it refuses),
 * keeps every name the functions find the stack's resources by, and always gives a new model a new endpoint config the
 * controller sees; README's "Changing parameters after the first deploy" names what each parameter replaces, creates
 * or deletes, and each in-place change of a queue or the trigger, where uploads wait.
 */
class ParameterUpdatesTest {

  private static final Pattern NAME = Pattern.compile("`([A-Za-z0-9]+)`");

  /** The environment variables by which the functions find the stack's endpoint, trigger, queues, tables and bucket. */
  private static final Set<String> WHERE_THINGS_ARE = Set.of(
      "ENDPOINT_NAME",
      "MAPPING_UUID",
      "QUEUE_URL",
      "DLQ_URL",
      "TIMER_QUEUE_URL",
      "TABLE_NAME",
      "RESULTS_TABLE_NAME",
      "CONTROL_TABLE_NAME",
      "BUCKET_NAME",
      "STACK_ID");

  private final Map<String, Object> template = ParameterChanges.template();
  private final List<Change> changes = ParameterChanges.all();

  /** A template resource, or an empty one for a resource SAM makes. */
  private Map<String, Object> resource(String id) {
    Object resource = StackResolver.map(template.get("Resources")).get(id);
    return resource == null ? Map.of() : StackResolver.map(resource);
  }

  /**
   * What an update must leave alone: a resource kept on replacement (UpdateReplacePolicy Retain: a replacement would
   * leave the old one, with its uploads or results, outside the stack), one that holds data (a queue's waiting
   * messages, a table's items, the bucket's objects, a key's ciphertexts, a log group's events), and an SQS trigger
   * (the Classify trigger's id is the controller's switch; and Lambda refuses a second mapping of one queue and
   * function, so its replacement would fail the update).
   */
  private boolean heldOnTo(String id) {
    if (isSqsTrigger(id)) {
      return true;
    }
    Map<String, Object> resource = resource(id);
    return "Retain".equals(resource.get("UpdateReplacePolicy"))
        || Set.of(
                "AWS::SQS::Queue",
                "AWS::DynamoDB::Table",
                "AWS::S3::Bucket",
                "AWS::KMS::Key",
                "AWS::Logs::LogGroup")
            .contains(String.valueOf(resource.get("Type")));
  }

  /** Where uploads wait or pass through: a queue, or a function's SQS trigger. */
  private boolean holdsUploads(String id) {
    return isSqsTrigger(id) || "AWS::SQS::Queue".equals(resource(id).get("Type"));
  }

  /** Whether {@code id} is the mapping SAM makes of a function's SQS event (named function and event). */
  private boolean isSqsTrigger(String id) {
    for (var r : StackResolver.map(template.get("Resources")).entrySet()) {
      Map<String, Object> resource = StackResolver.map(r.getValue());
      Object events = "AWS::Serverless::Function".equals(resource.get("Type"))
          ? StackResolver.path(StackResolver.map(resource.get("Properties")), "Events")
          : null;
      if (events == null) {
        continue;
      }
      for (var e : StackResolver.map(events).entrySet()) {
        if ((r.getKey() + e.getKey()).equals(id)) {
          return "SQS".equals(StackResolver.map(e.getValue()).get("Type"));
        }
      }
    }
    return false;
  }

  @Test
  void everyPropertyAParameterReachesIsInTheTableOfUpdateBehavioursAndTheTableHoldsNothingElse() {
    Set<String> unclassified = new TreeSet<>();
    Set<String> reached = new TreeSet<>();
    for (Change change : changes) {
      change
          .update()
          .unclassified()
          .forEach(p -> unclassified.add(p + " by " + change.parameter()));
      reached.addAll(change.update().reached());
    }
    assertThat(unclassified)
        .as(
            "look each up in the type's CloudFormation reference (Update requires) and add it to UpdateBehaviours")
        .isEmpty();
    assertThat(reached)
        .as("UpdateBehaviours lists what the parameters reach")
        .isEqualTo(UpdateBehaviours.known());
  }

  @Test
  void theSamplesAreValuesTheParametersAccept() {
    for (var sample : ParameterChanges.SAMPLES.entrySet()) {
      for (String value : sample.getValue()) {
        assertThat(ParameterChanges.accepts(template, sample.getKey(), value))
            .as("%s=%s", sample.getKey(), value)
            .isTrue();
      }
    }
  }

  @Test
  void noParameterReplacesCreatesOrDeletesWhatHoldsUploadsResultsOrState() {
    List<String> found = new ArrayList<>();
    for (Change change : changes) {
      ParameterUpdate u = change.update();
      u.replaced().stream()
          .filter(this::heldOnTo)
          .forEach(id -> found.add(change + " replaces " + id));
      u.created().stream()
          .filter(this::heldOnTo)
          .forEach(id -> found.add(change + " creates " + id));
      u.deleted().stream()
          .filter(this::heldOnTo)
          .forEach(id -> found.add(change + " deletes " + id));
    }
    assertThat(found).isEmpty();
  }

  @Test
  void noParameterReplacesAResourceWhoseNameTheTemplateSets() {
    List<String> found = new ArrayList<>();
    Set<String> resources = StackResolver.map(template.get("Resources")).keySet();
    for (Change change : changes) {
      for (String id : change.update().replaced()) {
        if (!resources.contains(id)) {
          found.add(change + " replaces " + id + ", which SAM makes");
          continue;
        }
        Map<String, Object> resource = resource(id);
        String type = String.valueOf(resource.get("Type"));
        String name = UpdateBehaviours.NAME_PROPERTY.get(type);
        Object properties = resource.get("Properties");
        if (name == null && !UpdateBehaviours.UNNAMED.contains(type)) {
          found.add(
              change + " replaces " + id + ": add its type's name property to UpdateBehaviours");
        } else if (name != null
            && properties != null
            && StackResolver.map(properties).containsKey(name)) {
          found.add(change + " replaces " + id + ", whose " + name + " the template sets");
        }
      }
    }
    assertThat(found).isEmpty();
  }

  /**
   * Classify compares each answer's variant with its MODEL_NAME and defers what another model answered, so a new model
   * must reach the endpoint too: the controller replaces its endpoint only when the config it creates from changes, and
   * the serverless endpoint follows its config when CloudFormation updates it in place (EndpointConfigName: No
   * interruption), never replaced under its fixed name.
   */
  @Test
  void aNewModelAlwaysComesWithANewEndpointConfigThatTheEndpointFollows() {
    int models = 0;
    for (Change change : changes) {
      ParameterUpdate u = change.update();
      // Switching hosting creates or deletes an endpoint config: README has its own section.
      if (!u.replaced().contains("Model")
          || !u.created().isEmpty()
          || !u.deleted().isEmpty()) {
        continue;
      }
      models++;
      String config = change.hostingAfter().equals("scale-to-zero")
          ? "ComponentEndpointConfig"
          : "EndpointConfig";
      assertThat(u.replaced()).as("%s", change).contains(config);
      if (change.hostingAfter().equals("serverless")) {
        assertThat(u.updated().get("ServerlessEndpoint"))
            .as("%s", change)
            .containsExactly("EndpointConfigName");
      }
    }
    assertThat(models).as("changes that replace the Model").isPositive();
  }

  @Test
  void everyNameTheFunctionsFindTheStacksResourcesByStaysTheSame() {
    FakeStack stack = FakeStack.create(Map.of());
    for (Change change : changes) {
      Resolved resolved = resolved(stack, change);
      StackResolver was = resolved.was();
      StackResolver is = resolved.is();
      for (String function : List.of(
          "ClassifyFunction", "ControllerFunction", "ApiFunction", "EndpointCleanupFunction")) {
        Map<String, String> old = new TreeMap<>(was.environment(function));
        Map<String, String> now = new TreeMap<>(is.environment(function));
        old.keySet().retainAll(WHERE_THINGS_ARE);
        now.keySet().retainAll(WHERE_THINGS_ARE);
        assertThat(now).as("%s: %s", change, function).isEqualTo(old).isNotEmpty();
      }
    }
  }

  /**
   * A stack update changes the SageMaker role in place before it creates the new Model, and an endpoint still serving
   * the old one (until the controller replaces it, while SageMaker deploys a serverless endpoint's new config, while
   * the update rolls back) may need SageMaker to read its artifact and pull its image again: for an instance it
   * replaces or adds, a copy it scales up, a serverless cold start. So on either side of every update that replaces
   * the Model the role also lets SageMaker read the other side's artifact and pull its image, whenever the two share a
   * bucket and a repository (README's item says what a change of bucket or repository does).
   */
  @Test
  void throughAnUpdateThatReplacesTheModelTheRoleStillReadsTheOtherModelsArtifactAndImage() {
    FakeStack stack = FakeStack.create(Map.of());
    List<String> unreadable = new ArrayList<>();
    Set<String> shared = new TreeSet<>();
    for (Change change : changes) {
      if (!change.update().replaced().contains("Model")) {
        continue;
      }
      Resolved resolved = resolved(stack, change);
      StackResolver was = resolved.was();
      StackResolver is = resolved.is();
      for (List<StackResolver> sides : List.of(List.of(was, is), List.of(is, was))) {
        IamRole role = IamRole.atMost(sides.get(0), "SageMakerExecutionRole");
        Map<String, Object> mine = container(sides.get(0));
        Map<String, Object> other = container(sides.get(1));
        String url = (String) other.get("ModelDataUrl");
        if (url != null
            && mine.get("ModelDataUrl") instanceof String own
            && bucket(own).equals(bucket(url))) {
          shared.add("artifact");
          String object = "arn:aws:s3:::" + url.substring("s3://".length());
          if (!role.allows(new IamRole.Permission("s3:GetObject", object, "the other model"))) {
            unreadable.add(change + ": " + object);
          }
        }
        String repository = repository(String.valueOf(other.get("Image")));
        if (repository.equals(repository(String.valueOf(mine.get("Image"))))) {
          shared.add("image");
          if (!role.allows(
              new IamRole.Permission("ecr:BatchGetImage", repository, "the other model"))) {
            unreadable.add(change + ": " + repository);
          }
        }
      }
    }
    assertThat(shared).as("updates whose models share a bucket, a repository").hasSize(2);
    assertThat(unreadable).isEmpty();
  }

  /** The template resolved before and after a change, on the base parameters of its hosting. */
  private record Resolved(StackResolver was, StackResolver is) {}

  /** The template resolved with {@code change}'s parameter at its old value, and at its new one. */
  private Resolved resolved(FakeStack stack, Change change) {
    Map<String, String> before = ParameterChanges.base(change.hosting());
    Map<String, String> after = new HashMap<>(before);
    before.put(change.parameter(), change.from());
    after.put(change.parameter(), change.to());
    return new Resolved(
        new StackResolver(template, stack.withParameters(before)),
        new StackResolver(template, stack.withParameters(after)));
  }

  private static Map<String, Object> container(StackResolver stack) {
    return StackResolver.map(stack.properties("Model").get("PrimaryContainer"));
  }

  private static String bucket(String s3Url) {
    return s3Url.substring("s3://".length()).split("/", 2)[0];
  }

  /** The repository ARN of an ECR image URI ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY[:TAG or @DIGEST]. */
  private static String repository(String image) {
    String[] host = image.substring(0, image.indexOf('/')).split("\\.");
    String name = image.substring(image.indexOf('/') + 1).split("@")[0].split(":")[0];
    return "arn:aws:ecr:" + host[3] + ":" + host[0] + ":repository/" + name;
  }

  /** README's items: the names in each item's bold head, with the item's whole text. */
  private static Map<String, String> readmeItems() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    String heading = "\n### Changing parameters after the first deploy\n";
    int start = readme.indexOf(heading);
    assertThat(start).as("README section '%s'", heading.strip()).isPositive();
    String section = readme.substring(start, readme.indexOf("\n### ", start + 1));
    Map<String, String> items = new LinkedHashMap<>();
    for (String item : section.split("\n- ")) {
      if (!item.startsWith("**")) {
        continue;
      }
      String text = item.split("\n\n")[0].replaceAll("\\s+", " ");
      Matcher m = NAME.matcher(text.substring(2, text.indexOf("**", 2)));
      while (m.find()) {
        items.put(m.group(1), text);
      }
    }
    return items;
  }

  @Test
  void theReadmeNamesWhatEachParameterReplacesCreatesOrDeletesAndEachChangeOfTheQueueOrTrigger()
      throws IOException {
    Map<String, String> items = readmeItems();
    Map<String, Set<String>> touched = new TreeMap<>();
    for (Change change : changes) {
      ParameterUpdate u = change.update();
      Set<String> ids = touched.computeIfAbsent(change.parameter(), p -> new TreeSet<>());
      ids.addAll(u.replaced());
      ids.addAll(u.created());
      ids.addAll(u.deleted());
      u.updated().keySet().stream().filter(this::holdsUploads).forEach(ids::add);
    }
    touched.values().removeIf(Set::isEmpty);
    assertThat(items.keySet())
        .as("README names exactly these parameters")
        .isEqualTo(touched.keySet());
    for (var entry : touched.entrySet()) {
      for (String id : entry.getValue()) {
        assertThat(items.get(entry.getKey()))
            .as("README's item on %s names %s", entry.getKey(), id)
            .contains("`" + id + "`");
      }
    }
  }
}
