package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket that carries {@code local update}'s model to the running stack: the update arrives whole (paths
 * made absolute, the settings), the stack's answer or refusal comes back in its words, and once closed nothing listens
 * and the socket's file is gone.
 */
class ControlSocketTest {

  @TempDir
  Path cache;

  @Test
  void anUpdateArrivesWholeAndTheStacksAnswerOrRefusalComesBack() throws IOException {
    List<ModelUpdate> received = new CopyOnWriteArrayList<>();
    Path socket = ControlSocket.path(cache);
    ModelUpdate update = new ModelUpdate(
        Optional.of(Path.of("model.onnx")),
        Optional.of(Path.of("labels.txt")),
        Optional.empty(),
        Map.of("ACCEPT", "application/json", "CONTENT_TYPE", "image/png"));
    try (ControlSocket control = ControlSocket.open(socket, u -> {
      received.add(u);
      if (received.size() > 1) {
        throw new IllegalArgumentException("nothing changed: the local stack serves this model");
      }
      return Map.of("model", "offhours-model-2", "endpointConfig", "offhours-endpoint-config-2");
    })) {
      ControlSocket.UpdateAnswer answer = ControlSocket.send(socket, update);
      assertThat(answer.refused()).isNull();
      assertThat(answer.served())
          .isEqualTo(
              Map.of("model", "offhours-model-2", "endpointConfig", "offhours-endpoint-config-2"));
      assertThat(received)
          .containsExactly(new ModelUpdate(
              Optional.of(Path.of("model.onnx").toAbsolutePath()),
              Optional.of(Path.of("labels.txt").toAbsolutePath()),
              Optional.empty(),
              Map.of("ACCEPT", "application/json", "CONTENT_TYPE", "image/png")));

      ControlSocket.UpdateAnswer refused = ControlSocket.send(socket, update);
      assertThat(refused.refused()).isEqualTo("nothing changed: the local stack serves this model");
      assertThat(refused.served()).isEmpty();
    }
    assertThat(socket).as("the socket's file, once closed").doesNotExist();
    assertThatThrownBy(() -> ControlSocket.send(socket, update))
        .as("nothing listens once closed")
        .isInstanceOf(IOException.class);
  }

  /**
   * A stack that takes the request and does not answer (stopped with Ctrl-Z, or hung) holds the command no longer than
   * its bound; the update it took goes on, and is applied once the stack does.
   */
  @Test
  @Timeout(30)
  void aStackThatDoesNotAnswerHoldsTheSenderOnlyForItsBound() throws Exception {
    Path socket = ControlSocket.path(cache);
    CountDownLatch resumed = new CountDownLatch(1);
    List<ModelUpdate> applied = new CopyOnWriteArrayList<>();
    ModelUpdate update = new ModelUpdate(
        Optional.empty(), Optional.empty(), Optional.empty(), Map.of("ACCEPT", "text/csv"));
    try (ControlSocket control = ControlSocket.open(socket, u -> {
      try {
        resumed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      applied.add(u);
      return Map.of("model", "offhours-model-2");
    })) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> ControlSocket.send(socket, update, Duration.ofMillis(300)))
          .isInstanceOfSatisfying(
              ControlSocket.NoAnswer.class,
              e -> assertThat(e.bound()).isEqualTo(Duration.ofMillis(300)));
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("how long the sender waited")
          .isLessThan(Duration.ofSeconds(10));
      assertThat(applied).as("the update, while the stack is stopped").isEmpty();

      resumed.countDown();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> applied.contains(update));
    }
  }

  /**
   * The stack stopping while one update is applied and another's request is still arriving: the socket stops listening
   * at once, the update being applied is finished and answered before the close returns, and the one that arrives
   * after it is refused, unapplied.
   */
  @Test
  @Timeout(30)
  void aCloseWaitsForTheUpdateBeingAppliedAndRefusesTheNextOne() throws Exception {
    Path socket = ControlSocket.path(cache);
    CountDownLatch inApply = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    List<ModelUpdate> applied = new CopyOnWriteArrayList<>();
    ModelUpdate update = new ModelUpdate(
        Optional.empty(), Optional.empty(), Optional.empty(), Map.of("ACCEPT", "text/csv"));
    ControlSocket control = ControlSocket.open(socket, u -> {
      inApply.countDown();
      try {
        resume.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      applied.add(u);
      return Map.of("model", "offhours-model-2");
    });
    try (SocketChannel late = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      CompletableFuture<ControlSocket.UpdateAnswer> first = CompletableFuture.supplyAsync(() -> {
        try {
          return ControlSocket.send(socket, update);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      inApply.await();
      // Once the socket no longer listens, the late request ends and the first update goes on.
      Thread.ofVirtual().start(() -> {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !connects(socket));
        try {
          late.write(
              ByteBuffer.wrap("{\"ACCEPT\":\"image/png\"}".getBytes(StandardCharsets.UTF_8)));
          late.shutdownOutput();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        resume.countDown();
      });

      control.close();

      assertThat(applied).as("the updates applied once the close returned").containsExactly(update);
      assertThat(first.get(10, TimeUnit.SECONDS).served())
          .as("the first update's answer")
          .isEqualTo(Map.of("model", "offhours-model-2"));
      ByteBuffer answer = ByteBuffer.allocate(4096);
      while (late.read(answer) >= 0) {}
      assertThat(new String(answer.array(), 0, answer.position(), StandardCharsets.UTF_8))
          .as("the answer to the update that arrived as the stack stopped")
          .isEqualTo("{\"refused\":\"the local stack is stopping, so it took no update: start it"
              + " again with the new model ('scripts/offhours local start' with the same"
              + " options)\"}");
    }
    assertThat(socket).as("the socket's file, once closed").doesNotExist();
  }

  /**
   * An update that ends in an Error (thrown on by the stack, after its rollback) is still answered: with the words that
   * ride in it, naming the step that failed, or else the Error's own.
   */
  @Test
  @Timeout(30)
  void anUpdateThatEndsInAnErrorIsStillAnsweredWithTheWordsItCarries() throws IOException {
    Path socket = ControlSocket.path(cache);
    ModelUpdate update = new ModelUpdate(
        Optional.empty(), Optional.empty(), Optional.empty(), Map.of("ACCEPT", "text/csv"));
    List<Error> errors = new CopyOnWriteArrayList<>();
    try (ControlSocket control = ControlSocket.open(socket, u -> {
      Error error = new ExceptionInInitializerError("the model's code failed to load");
      if (errors.isEmpty()) {
        error.addSuppressed(new IOException("the update to model offhours-model-2 failed while"
            + " switching function offhours-classify to it: it was undone"));
      }
      errors.add(error);
      throw error;
    })) {
      assertThat(ControlSocket.send(socket, update).refused())
          .isEqualTo("the update to model offhours-model-2 failed while switching function"
              + " offhours-classify to it: it was undone");
      assertThat(ControlSocket.send(socket, update).refused())
          .isEqualTo("the local stack failed while it applied the update:"
              + " java.lang.ExceptionInInitializerError: the model's code failed to load");
    }
  }

  /**
   * A client that connects and sends nothing, or part of a request, is answered once the request's bound has passed,
   * saying so, and its connection closed: it holds no thread of the stack's for longer.
   */
  @Test
  @Timeout(30)
  void aRequestThatDoesNotArriveWithinItsBoundIsRefusedSayingSo() throws IOException {
    Path socket = ControlSocket.path(cache);
    List<ModelUpdate> applied = new CopyOnWriteArrayList<>();
    try (ControlSocket control = ControlSocket.open(
            socket,
            u -> {
              applied.add(u);
              return Map.of("model", "offhours-model-2");
            },
            Duration.ofMillis(300));
        SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        SocketChannel partial = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      partial.write(ByteBuffer.wrap("{\"ACCEPT\":".getBytes(StandardCharsets.UTF_8)));
      String refused = "{\"refused\":\"the request did not arrive whole within 300 ms: 'local"
          + " update' sends it at once, so the stack took nothing; send it again\"}";
      assertThat(answerTo(silent))
          .as("the answer to a client that sent nothing")
          .isEqualTo(refused);
      assertThat(answerTo(partial)).as("the answer to part of a request").isEqualTo(refused);
      assertThat(applied).isEmpty();
    }
  }

  /** What the stack writes on {@code channel} until it closes it. */
  private static String answerTo(SocketChannel channel) throws IOException {
    ByteBuffer answer = ByteBuffer.allocate(4096);
    while (channel.read(answer) >= 0) {}
    return new String(answer.array(), 0, answer.position(), StandardCharsets.UTF_8);
  }

  private static boolean connects(Path socket) {
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  @Timeout(30)
  void aClientThatNeverEndsItsRequestHoldsNoOtherUpdateAndAnOversizedOneIsRefused()
      throws IOException {
    Path socket = ControlSocket.path(cache);
    ModelUpdate update = new ModelUpdate(
        Optional.empty(), Optional.empty(), Optional.empty(), Map.of("ACCEPT", "text/csv"));
    try (ControlSocket control =
            ControlSocket.open(socket, u -> Map.of("model", "offhours-model-2"));
        SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      silent.connect(UnixDomainSocketAddress.of(socket));
      silent.write(ByteBuffer.wrap("{\"ACCEPT\":".getBytes(StandardCharsets.UTF_8)));
      // That connection stays open, its request unfinished: the next update is answered.
      assertThat(ControlSocket.send(socket, update).served())
          .isEqualTo(Map.of("model", "offhours-model-2"));

      try (SocketChannel large = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
        large.write(ByteBuffer.wrap(new byte[70 * 1024]));
        large.shutdownOutput();
        ByteBuffer answer = ByteBuffer.allocate(4096);
        while (large.read(answer) >= 0) {}
        assertThat(new String(answer.array(), 0, answer.position(), StandardCharsets.UTF_8))
            .isEqualTo("{\"refused\":\"a message of more than 65536 bytes\"}");
      }
    }
  }
}
