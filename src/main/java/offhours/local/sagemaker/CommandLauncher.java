package offhours.local.sagemaker;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The built-in launcher for image {@value LocalSageMaker#COMMAND_IMAGE}: runs the shell command in the
 * model's {@value #COMMAND_VARIABLE} environment variable as a local process that must serve the
 * container contract on the port in {@code SAGEMAKER_BIND_TO_PORT}.
 *
 * <p>SageMaker passes {@code SAGEMAKER_BIND_TO_PORT} to containers that must not use the default port
 * 8080 (https://docs.aws.amazon.com/sagemaker/latest/dg/inference-pipeline-real-time.html); a local
 * process has the same problem, so it gets the same variable. {@code SM_MODEL_DIR} mirrors the
 * framework containers' model directory, {@code MODEL_DATA_URL} is the model's ModelDataUrl as given.
 */
final class CommandLauncher implements ContainerLauncher {
  static final String COMMAND_VARIABLE = "OFFHOURS_CONTAINER_COMMAND";

  private final Path logDirectory;

  CommandLauncher(Path logDirectory) {
    this.logDirectory = logDirectory;
  }

  @Override
  public ModelContainer launch(ContainerSpec spec) throws IOException {
    String command = spec.environment().get(COMMAND_VARIABLE);
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException("image " + LocalSageMaker.COMMAND_IMAGE + " needs the shell command to run in"
          + " the model's PrimaryContainer.Environment." + COMMAND_VARIABLE);
    }
    int port = ContainerLauncher.freePort();
    Files.createDirectories(logDirectory);
    Path log = logDirectory.resolve(spec.endpointName() + "-" + port + ".log");
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = builder.environment();
    env.putAll(spec.environment());
    env.put("SAGEMAKER_BIND_TO_PORT", Integer.toString(port));
    if (spec.modelDataUrl() != null) {
      env.put("MODEL_DATA_URL", spec.modelDataUrl());
      modelDirectory(spec.modelDataUrl()).ifPresent(dir -> env.put("SM_MODEL_DIR", dir.toString()));
    }
    Process process = builder.start();
    return new CommandContainer(process, URI.create("http://127.0.0.1:" + port), log);
  }

  /** A file: ModelDataUrl names the model directory itself or a file in it; other schemes have no local directory. */
  private static Optional<Path> modelDirectory(String modelDataUrl) {
    try {
      URI uri = URI.create(modelDataUrl);
      if (!"file".equals(uri.getScheme())) {
        return Optional.empty();
      }
      Path path = Path.of(uri);
      return Optional.ofNullable(Files.isDirectory(path) ? path : path.getParent());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A container process: its whole process tree is stopped on close, since {@code sh -c} may fork. */
  record CommandContainer(Process process, URI baseUri, Path log) implements ModelContainer {
    @Override
    public void close() {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
