package offhours.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import offhours.testing.UnusedSqs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local Lambda's API port is bound before the clients that name it are built, not probed: no other process can
 * take it between the two, and the Lambda serves on that very port.
 */
class LambdaApiSocketTest {
  // Never called: no mapping is created here.
  private final SqsClient sqs = UnusedSqs.client();

  @AfterEach
  void close() {
    sqs.close();
  }

  @Test
  void thePortIsHeldFromTheBindOnAndTheLambdaServesOnIt() throws Exception {
    try (LambdaApiSocket api = LambdaApiSocket.bind()) {
      int port = api.port();
      assertThatThrownBy(() -> bindOn(port)).isInstanceOf(BindException.class);

      try (LocalLambda lambda = LocalLambda.builder(sqs).api(api).start()) {
        assertThat(lambda.endpoint().getPort()).isEqualTo(port);
        assertThatThrownBy(() -> bindOn(port)).isInstanceOf(BindException.class);
      }
      bindOn(port); // the Lambda's close freed it
    }
  }

  @Test
  void aSocketNoLambdaTookIsFreedOnClose() throws Exception {
    int port;
    try (LambdaApiSocket api = LambdaApiSocket.bind()) {
      port = api.port();
    }
    bindOn(port);
  }

  @Test
  void oneSocketServesOneLambda() throws Exception {
    try (LambdaApiSocket api = LambdaApiSocket.bind();
        LocalLambda lambda = LocalLambda.builder(sqs).api(api).start()) {
      assertThatThrownBy(() -> LocalLambda.builder(sqs).api(api).start())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the local Lambda API on port " + api.port() + " is already taken");
    }
  }

  private static void bindOn(int port) throws Exception {
    new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
  }
}
