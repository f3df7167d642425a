package offhours.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import offhours.aws.AwsClients.Service;
import offhours.local.StateFile;
import offhours.testing.AwsServicesExtension;
import offhours.testing.AwsServicesExtension.AwsServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * What the ITs of commands against a local stack share: a fresh {@link MotoStack} per test on moto_server (started by
 * {@link AwsServicesExtension}), its state file in {@link #cache}, and {@link #run} to run a command against it.
 */
@ExtendWith(AwsServicesExtension.class)
abstract class OnMotoStack {

  @TempDir
  Path cache;

  MotoStack moto;

  @BeforeEach
  void provisionAndWriteTheStateFile(AwsServices services) throws IOException {
    moto = new MotoStack(services, "cli-it", cache);
  }

  @AfterEach
  void closeTheStack() {
    moto.close();
  }

  CliRun run(String... args) {
    return moto.run(args);
  }

  /** The line cost prints first: "counting from DATE HH:MM, when WHEN", {@code start} in {@code zone}. */
  static String countingFrom(Instant start, ZoneId zone, String when) {
    ZonedDateTime at = start.atZone(zone);
    return "counting from " + at.toLocalDate() + " "
        + at.toLocalTime().truncatedTo(ChronoUnit.MINUTES) + ", when " + when + "\n";
  }

  /** A running stack whose services do not answer (port 1 refuses); the SDK's retries make this take seconds. */
  void refusedStateFile() throws IOException {
    TestStateFiles.state(
            ProcessHandle.current().pid(),
            TestStateFiles.endpoints(),
            Map.of(
                "bucket",
                moto.bucket,
                "queueUrl",
                "http://127.0.0.1:1/1/q",
                "dlqUrl",
                "http://127.0.0.1:1/1/d"))
        .write(StateFile.path(cache));
  }

  /** Rewrites the state file with {@code changed} over its names, as a stack whose outputs name other resources. */
  void withNames(Map<String, String> changed) throws IOException {
    Map<String, String> names = new java.util.HashMap<>(state().names());
    names.putAll(changed);
    rewrite(names, state().settings());
  }

  /** Rewrites the state file with these settings, as 'local start' with other options writes it. */
  void withSettings(Map<String, String> settings) throws IOException {
    rewrite(state().names(), settings);
  }

  private StateFile state() throws IOException {
    return StateFile.read(StateFile.path(cache));
  }

  private void rewrite(Map<String, String> names, Map<String, String> settings) throws IOException {
    StateFile state = state();
    new StateFile(
            state.pid(),
            state.started(),
            state.region(),
            state.accessKeyId(),
            state.secretAccessKey(),
            state.endpoints(),
            names,
            state.model(),
            settings,
            List.of(),
            null,
            null)
        .write(StateFile.path(cache));
  }

  /**
   * An endpoint under the state file's name on moto ({@code cli-it-endpoint-SUFFIX}), with its model and config;
   * its status as moto describes it.
   */
  String liveEndpoint() {
    String endpoint = "cli-it-endpoint-" + moto.suffix;
    try (SageMakerClient sageMaker =
        moto.clients.build(Service.SAGEMAKER, SageMakerClient.builder())) {
      sageMaker.createModel(r -> r.modelName("cli-it-model-" + moto.suffix)
          .executionRoleArn("arn:aws:iam::123456789012:role/offhours")
          .primaryContainer(c -> c.image("123456789012.dkr.ecr.us-east-1.amazonaws.com/ic:1")));
      sageMaker.createEndpointConfig(r -> r.endpointConfigName("cli-it-config-" + moto.suffix)
          .productionVariants(v -> v.variantName("all")
              .modelName("cli-it-model-" + moto.suffix)
              .initialInstanceCount(1)
              .instanceType("ml.m5.large")));
      sageMaker.createEndpoint(
          r -> r.endpointName(endpoint).endpointConfigName("cli-it-config-" + moto.suffix));
      return sageMaker.describeEndpoint(r -> r.endpointName(endpoint)).endpointStatusAsString();
    }
  }
}
