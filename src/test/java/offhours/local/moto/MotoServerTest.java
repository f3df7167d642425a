package offhours.local.moto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MotoServerTest {

  @Test
  void motoRunsInUtcWhateverTheUsersZoneSoItsZonelessEventTimesMeanWhatClassifyReads() {
    Map<String, String> env = new HashMap<>(Map.of(
        "TZ", "Etc/GMT+2", "AWS_ACCESS_KEY_ID", "mine", "MOTO_DISABLE_GLOBAL_CORS", "false"));

    MotoServer.environment(env);

    assertThat(env)
        .as("moto's datetime.now() in UTC, CORS off, the user's own credentials kept")
        .containsEntry("TZ", "UTC")
        .containsEntry("MOTO_DISABLE_GLOBAL_CORS", "true")
        .containsEntry("AWS_ACCESS_KEY_ID", "mine")
        .containsEntry("AWS_SECRET_ACCESS_KEY", "offhours")
        .containsEntry("AWS_DEFAULT_REGION", "us-east-1");
  }

  @Test
  void theLineMotoServerWaitsForIsTheOneItsSitecustomizePrints() throws Exception {
    try (var in = MotoServer.class.getResourceAsStream("sitecustomize.py")) {
      String python = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(python)
          .contains("SAID = \"" + MotoServer.SERIALIZED + "\"\n")
          .contains("print(SAID, file=sys.stderr, flush=True)");
    }
  }
}
