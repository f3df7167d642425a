package offhours.cli;

import java.net.URI;
import java.util.List;
import java.util.Map;
import offhours.local.StateFile;

/** State files of a local stack, as {@code local start} writes them, for tests of commands that read one. */
class TestStateFiles {

  static StateFile state(long pid, Map<String, URI> endpoints) {
    return state(
        pid,
        endpoints,
        Map.of(
            "bucket",
            "offhours-images",
            "queueUrl",
            "http://127.0.0.1:1/123/offhours-queue",
            "dlqUrl",
            "http://127.0.0.1:1/123/offhours-dlq",
            "controllerFunction",
            "offhours-controller"));
  }

  /** The state file of a stack in process {@code pid} (its start time recorded) with moto's dummy credentials. */
  static StateFile state(long pid, Map<String, URI> endpoints, Map<String, String> names) {
    return state(pid, endpoints, names, Map.of());
  }

  /** The same with the functions' {@code settings}, as 'local start' records them (TIME_ZONE, HOSTING ...). */
  static StateFile state(
      long pid,
      Map<String, URI> endpoints,
      Map<String, String> names,
      Map<String, String> settings) {
    String started = ProcessHandle.of(pid)
        .flatMap(p -> p.info().startInstant())
        .map(Object::toString)
        .orElse(null);
    return new StateFile(
        pid,
        started,
        "us-east-1",
        "offhours",
        "offhours",
        endpoints,
        names,
        Map.of(),
        settings,
        List.of(),
        null,
        null);
  }

  static Map<String, URI> endpoints() {
    return endpoints(URI.create("http://127.0.0.1:1"));
  }

  /** Every service of the state file at {@code uri}. */
  static Map<String, URI> endpoints(URI uri) {
    return Map.of(
        "s3",
        uri,
        "sqs",
        uri,
        "dynamodb",
        uri,
        "sagemaker",
        uri,
        "sagemakerRuntime",
        uri,
        "lambda",
        uri);
  }
}
