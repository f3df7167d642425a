package offhours.local.sagemaker;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import offhours.cache.CacheFiles;
import offhours.local.process.ProcessRecorder;
import offhours.units.Shown;

/**
 * The built-in launcher for image {@value LocalSageMaker#COMMAND_IMAGE}: runs the shell command given when the
 * local SageMaker started ({@code --container-command}) as a local process that must serve the container contract
 * on the port in {@code SAGEMAKER_BIND_TO_PORT}. The command never comes from the API: a model that names one, or
 * sets a variable that makes a shell, the loader or an interpreter run other code, is refused at CreateModel.
 *
 * <p>SageMaker passes {@code SAGEMAKER_BIND_TO_PORT} to containers that must not use the default port
 * 8080 (https://docs.aws.amazon.com/sagemaker/latest/dg/inference-pipeline-real-time.html); a local
 * process has the same problem, so it gets the same variable. {@code SM_MODEL_DIR} mirrors the
 * framework containers' model directory, {@code MODEL_DATA_URL} is the model's ModelDataUrl as given.
 */
final class CommandLauncher implements ContainerLauncher {
  /** Where a command used to come from, before the API stopped carrying one. */
  private static final String COMMAND_VARIABLE = "OFFHOURS_CONTAINER_COMMAND";
  /**
   * What each container's processes carry in their environment, a value of its own: a server the command daemonizes,
   * outside its process tree, is still known as the container's ({@link PortHolder}).
   */
  static final String CONTAINER_VARIABLE = "OFFHOURS_CONTAINER";

  /** Variables the launcher sets itself. */
  private static final Set<String> OWN =
      Set.of("SAGEMAKER_BIND_TO_PORT", "MODEL_DATA_URL", "SM_MODEL_DIR", CONTAINER_VARIABLE);
  /** Variables with which a shell, the dynamic loader or an interpreter would run code the command does not name. */
  private static final Set<String> CODE = Set.of(
      COMMAND_VARIABLE,
      "PATH",
      "IFS",
      "ENV",
      "BASH_ENV",
      "SHELLOPTS",
      "BASHOPTS",
      "PS4",
      "CDPATH",
      "GCONV_PATH",
      "LOCPATH",
      "HOSTALIASES",
      "NODE_OPTIONS",
      "NODE_PATH",
      "PERL5OPT",
      "PERL5LIB",
      "PERLLIB",
      "RUBYOPT",
      "RUBYLIB",
      "JAVA_TOOL_OPTIONS",
      "JDK_JAVA_OPTIONS",
      "_JAVA_OPTIONS",
      "CLASSPATH");

  private static final List<String> CODE_PREFIXES = List.of("LD_", "DYLD_", "PYTHON", "BASH_FUNC_");

  private final Path logDirectory;
  private final String command;
  private final ProcessRecorder recorder;
  private final IntSupplier ports;

  CommandLauncher(Path logDirectory, String command, ProcessRecorder recorder) {
    this(logDirectory, command, recorder, ContainerLauncher::freePort);
  }

  /** As above, the command's port from {@code ports}: a test hands it a taken one. */
  CommandLauncher(Path logDirectory, String command, ProcessRecorder recorder, IntSupplier ports) {
    this.logDirectory = logDirectory;
    this.command = command;
    this.recorder = recorder;
    this.ports = ports;
  }

  @Override
  public void check(String modelDataUrl, Map<String, String> environment) {
    for (String name : environment.keySet()) {
      if (name.equals(COMMAND_VARIABLE)) {
        throw new IllegalArgumentException(
            "the local SageMaker runs only the container command given when the local"
                + " stack started (--container-command); a model cannot name one, so PrimaryContainer.Environment may"
                + " not set " + COMMAND_VARIABLE);
      }
      if (CODE.contains(name)
          || OWN.contains(name)
          || CODE_PREFIXES.stream().anyMatch(name::startsWith)) {
        throw new IllegalArgumentException(
            "PrimaryContainer.Environment may not set " + Shown.value(name) + ": "
                + (OWN.contains(name)
                    ? "the local SageMaker sets it"
                    : "it would make the container command run other" + " code"));
      }
    }
  }

  @Override
  public ModelContainer launch(ContainerSpec spec) throws IOException {
    check(spec.modelDataUrl(), spec.environment());
    // Only probed: the command binds it later, and another process may take it first; the
    // supervisor then starts the command again on another port (ContainerSupervisor.start).
    int port = ports.getAsInt();
    Path log =
        CacheFiles.privateFile(logDirectory.resolve(spec.endpointName() + "-" + port + ".log"));
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    long logStart =
        Files.size(log); // what an earlier container on this port wrote is not this one's
    Map<String, String> env = builder.environment();
    env.putAll(spec.environment());
    env.put("SAGEMAKER_BIND_TO_PORT", Integer.toString(port));
    String token = UUID.randomUUID().toString();
    env.put(CONTAINER_VARIABLE, token);
    if (spec.modelDataUrl() != null) {
      env.put("MODEL_DATA_URL", spec.modelDataUrl());
      modelDirectory(spec.modelDataUrl()).ifPresent(dir -> env.put("SM_MODEL_DIR", dir.toString()));
    }
    Process process = recorder.start("container of endpoint " + spec.endpointName(), builder);
    return new CommandContainer(
        process, URI.create("http://127.0.0.1:" + port), log, logStart, token);
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

  /**
   * A container process: its whole process tree is stopped on close, since {@code sh -c} may fork. Its output goes
   * to {@code log} from byte {@code logStart} on; its processes carry {@code token} in {@link #CONTAINER_VARIABLE}.
   */
  record CommandContainer(Process process, URI baseUri, Path log, long logStart, String token)
      implements ModelContainer {
    /** How long the container's processes have to end on SIGTERM. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    /** The last non-blank line the command wrote, escaped and cut ({@link LogTail}). */
    Optional<String> lastLogLine() {
      return LogTail.lastLine(log, logStart);
    }

    /** The shell's process: {@code sh -c} ends when the command does, whichever process of it was killed. */
    @Override
    public CompletableFuture<?> exited() {
      return process.onExit();
    }

    /**
     * SIGTERM to the shell and what it forked, then SIGKILL to each that has not ended within {@link #STOP_GRACE}.
     * Each is waited for, not the shell only: the shell ends at once on SIGTERM, while a server that handles it
     * slowly, or ignores it, ran on after the shell had ended (its port and memory held, found by nothing).
     */
    @Override
    public void close() {
      // Found before any is signalled: once the shell has ended, what it forked is no longer
      // found as its descendant.
      List<ProcessHandle> tree =
          Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
      tree.forEach(ProcessHandle::destroy);
      long deadline = System.nanoTime() + STOP_GRACE.toNanos();
      for (ProcessHandle p : tree) {
        try {
          p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
          p.destroyForcibly();
        } catch (InterruptedException e) {
          tree.forEach(ProcessHandle::destroyForcibly);
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
