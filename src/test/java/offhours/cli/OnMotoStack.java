package offhours.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import offhours.local.StateFile;
import offhours.testing.AwsServicesExtension;
import offhours.testing.AwsServicesExtension.AwsServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

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
}
