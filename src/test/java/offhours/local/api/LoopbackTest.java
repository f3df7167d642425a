package offhours.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopbackTest {

  @Test
  void aLocalServerGivesItsClientsThirtySecondsToSendARequest() throws Exception {
    try (Loopback server = Loopback.serve(0, 1, "loopback-test", exchange -> exchange.close())) {
      assertThat(server.port()).isPositive();
    }

    // Read by the JDK's server when its first instance is made; unset, a client may take forever.
    assertThat(System.getProperty("sun.net.httpserver.maxReqTime")).isEqualTo("30");
    assertThat(System.getProperty("sun.net.httpserver.maxRspTime"))
        .as("no limit on answering: a model load or a controller run may take minutes")
        .isNull();
  }
}
