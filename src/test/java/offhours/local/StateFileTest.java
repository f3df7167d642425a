package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.local.process.ChildProcess;
import offhours.local.process.StackMark;
import offhours.testing.MarkdownSections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * A state file says whether its stack is starting or up, and one of an older version is up; CONTRACTS.md names every key
 * it holds.
 */
class StateFileTest {
  @TempDir
  Path dir;

  private static final ChildProcess MOTO =
      new ChildProcess("moto_server", 41, "2026-12-04T18:00:00Z");

  @Test
  void aStartingFileNamesTheProcessAndItsChildrenOnly() throws Exception {
    Path file = StateFile.path(dir);

    StateFile.starting(ProcessHandle.current(), List.of(MOTO)).write(file);

    StateFile read = StateFile.read(file);
    assertThat(read.stillStarting()).isTrue();
    assertThat(read.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(read.started()).isNotNull();
    assertThat(read.children()).containsExactly(MOTO);
    assertThat(read.endpoints()).isEmpty();
    assertThat(read.credentials()).isEmpty();
    assertThat(Files.readString(file)).contains("\"starting\" : true");
  }

  @Test
  void aFileWithoutTheMarkIsUpAsAnOlderVersionWroteItOnlyThen() throws Exception {
    Path file = Files.createDirectories(dir.resolve("local")).resolve("stack.json");
    Files.writeString(
        file, "{\"pid\": 7, \"started\": \"2026-12-04T17:59:00Z\", \"accessKeyId\": \"AKID\"}");

    assertThat(StateFile.read(file).stillStarting()).isFalse();
  }

  @Test
  void anUpFileDoesNotCarryTheMark() throws Exception {
    Path file = StateFile.path(dir);
    StateFile up = new StateFile(
        7L,
        "2026-12-04T17:59:00Z",
        "us-east-1",
        "AKID",
        "secret",
        null,
        null,
        null,
        null,
        null,
        false,
        null);

    up.write(file);

    assertThat(up.stillStarting()).isFalse();
    assertThat(Files.readString(file)).as(Files.readString(file)).doesNotContain("starting");
  }

  @Test
  void whatTheStackServesIsKeptWithItsFilesMadeAbsolute() throws Exception {
    Path file = StateFile.path(dir);
    StateFile.Served served = StateFile.Served.of(
        Optional.of(Path.of("models/../model.onnx")),
        Optional.of(Path.of("labels.txt")),
        Optional.empty(),
        Map.of(
            "NORMALIZE",
            "0.5,0.5,0.5/0.5,0.5,0.5",
            "CONTENT_TYPE",
            "auto",
            "RESAMPLE",
            "antialias",
            "INPUT_SIZE",
            "224"));
    new StateFile(7L, null, null, null, null, null, null, null, null, null, null, served)
        .write(file);

    StateFile.Served read = StateFile.read(file).served();
    assertThat(read)
        .isEqualTo(new StateFile.Served(
            Path.of("model.onnx").toAbsolutePath().toString(),
            Path.of("labels.txt").toAbsolutePath().toString(),
            null,
            "0.5,0.5,0.5/0.5,0.5,0.5",
            null,
            "antialias",
            "224"));
    assertThat(read.isDefault()).isFalse();
    assertThat(StateFile.Served.of(Optional.empty(), Optional.empty(), Optional.empty())
            .isDefault())
        .isTrue();
  }

  /**
   * CONTRACTS.md's "Local state file" names every key of the file, and the keys of its {@code endpoints},
   * {@code names}, {@code children} and {@code served} exactly, from a file the running stack's own writer made with
   * every one of them present. The values of {@code model} and {@code settings} are variables, which the section names
   * after FunctionVariables.
   */
  @Test
  void theContractNamesEveryKeyOfTheFile() throws Exception {
    Map<StateFile.ServiceKey, URI> endpoints = new EnumMap<>(StateFile.ServiceKey.class);
    for (StateFile.ServiceKey key : StateFile.ServiceKey.values()) {
      endpoints.put(key, URI.create("http://127.0.0.1:4566"));
    }
    Map<StateFile.NameKey, String> names = new EnumMap<>(StateFile.NameKey.class);
    for (StateFile.NameKey key : StateFile.NameKey.values()) {
      names.put(key, "n");
    }
    Path file = StateFile.path(dir);
    StateFile.of(
            ProcessHandle.current(),
            "us-east-1",
            AwsBasicCredentials.create("AKID", "secret"),
            endpoints,
            URI.create("http://127.0.0.1:8080"),
            names,
            Map.of("LABELS", "a,b"),
            Map.of("TIME_ZONE", "UTC"),
            List.of(MOTO),
            new StateFile.Served(
                "/m.onnx",
                "/labels.txt",
                "python3 serve.py",
                "imagenet",
                "crop",
                "antialias",
                "224"))
        .write(file);
    JsonNode written = new ObjectMapper().readTree(file.toFile());
    String section =
        MarkdownSections.of(Path.of("CONTRACTS.md"), "## Local state file").replace('\n', ' ');

    Set<String> topLevel = new TreeSet<>(Arrays.stream(StateFile.class.getRecordComponents())
        .map(RecordComponent::getName)
        .toList());
    written.fieldNames().forEachRemaining(topLevel::add);
    topLevel.removeIf(key -> section.contains("`" + key + "`"));
    assertThat(topLevel).as("keys of the file CONTRACTS.md does not name").isEmpty();
    for (String object : List.of("endpoints", "names", "served")) {
      assertThat(listed(section, object)).as(object).isEqualTo(keys(written.get(object)));
    }
    assertThat(listed(section, "children"))
        .isEqualTo(keys(written.get("children").get(0)));
  }

  /** The keys the section lists for {@code object}: "`object` {`a`, `b`}" or "`object` [{`a`, `b`}...". */
  private static Set<String> listed(String section, String object) {
    Matcher m = Pattern.compile("`" + object + "` \\[?\\{((?:`\\w+`,?\\s*)+)").matcher(section);
    assertThat(m.find()).as("CONTRACTS.md lists the keys of " + object).isTrue();
    Set<String> keys = new TreeSet<>();
    Matcher key = Pattern.compile("`(\\w+)`").matcher(m.group(1));
    while (key.find()) {
      keys.add(key.group(1));
    }
    return keys;
  }

  private static Set<String> keys(JsonNode node) {
    Set<String> keys = new TreeSet<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  @Test
  void aStateFileOfAnOlderVersionRecordsNoChildren() throws Exception {
    Path file = Files.writeString(
        dir.resolve("stack.json"), "{\"pid\": 1, \"started\": \"2026-01-01T00:00:00Z\"}");

    assertThat(StateFile.read(file).children()).isEmpty();
  }

  @Test
  void theMarkNamesTheStackAsItsStateFileDoes() {
    ProcessHandle stack = ProcessHandle.current();

    assertThat(StateFile.starting(stack, List.of()).mark())
        .isPresent()
        .isEqualTo(StackMark.of(stack));
  }
}
