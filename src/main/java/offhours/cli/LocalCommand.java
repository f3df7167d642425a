package offhours.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import offhours.local.LocalStack;
import offhours.local.LocalStackState;
import offhours.local.api.LocalApiGateway;

/** {@code offhours local start|stop|status|run}: the local stack as a background service. */
final class LocalCommand {

  static final Option MODEL = Option.value("model", "FILE", "serve this ONNX model instead of the default nsfwjs MobileNetV2");
  static final Option LABELS = Option.value("labels", "FILE",
      "class names of --model/--container-command, one per line (not needed when the answers name their classes)");
  static final Option CONTENT_TYPE = Option.value("content-type", "TYPE",
      "Content-Type of the image sent to the model: application/x-image (default), auto (image/jpeg or image/png), or a media type");
  static final Option ACCEPT = Option.value("accept", "TYPE", "Accept header sent to the model (default application/json)");
  static final Option CONTAINER_COMMAND = Option.value("container-command", "CMD",
      "serve with this command instead: it must answer GET /ping and POST /invocations on $SAGEMAKER_BIND_TO_PORT");
  private static final Duration START_TIMEOUT = Duration.ofMinutes(10);

  private LocalCommand() {}

  static Command group() {
    return Command.group("local", "run the whole stack on this machine (moto_server, local SageMaker, local Lambda)",
        List.of(new Start(), new Stop(), new Status(), new Run()));
  }

  static LocalStack.Options settings(Invocation call) {
    Arguments args = call.args();
    Optional<Path> model = args.value(MODEL.name()).map(Path::of);
    Optional<Path> labels = args.value(LABELS.name()).map(Path::of);
    labels.filter(p -> !Files.isRegularFile(p)).ifPresent(p -> {
      throw CliException.usage("labels file " + p + " does not exist");
    });
    Map<String, String> modelSettings = new java.util.HashMap<>();
    args.value(CONTENT_TYPE.name()).ifPresent(v -> modelSettings.put("CONTENT_TYPE", v));
    args.value(ACCEPT.name()).ifPresent(v -> modelSettings.put("ACCEPT", v));
    try {
      // Checked here, so a bad value is a usage error, not a failed start.
      offhours.inference.ModelContract.fromEnv(modelSettings);
      return new LocalStack.Options(call.context().cacheDir(), model, labels, args.value(CONTAINER_COMMAND.name()),
          Duration.ofSeconds(3), Duration.ofSeconds(2), Map.of(), modelSettings);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  static long positive(Arguments args, Option option, long fallback) {
    Optional<String> value = args.value(option.name());
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value.get());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below says what is expected
    }
    throw CliException.usage("--" + option.name() + " needs a positive whole number, got '" + value.get() + "'");
  }

  private static List<Option> stackOptions() {
    return List.of(MODEL, LABELS, CONTAINER_COMMAND, CONTENT_TYPE, ACCEPT);
  }

  /** {@code local run}: the stack in the foreground until interrupted; {@code local start} runs this in the background. */
  static final class Run implements Command {
    @Override
    public String name() {
      return "run";
    }

    @Override
    public String summary() {
      return "run the local stack in the foreground until Ctrl-C (what 'local start' runs in the background)";
    }

    @Override
    public List<Option> options() {
      return stackOptions();
    }

    @Override
    public int run(Invocation call) throws Exception {
      Path stateFile = LocalStackState.file(call.context().cacheDir());
      Path tokenFile = LocalApiGateway.tokenFile(call.context().cacheDir());
      LocalStack stack = LocalStack.start(settings(call), call.err());
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          Files.deleteIfExists(tokenFile);
          Files.deleteIfExists(stateFile);
        } catch (IOException e) {
          // the next start overwrites it
        }
        stack.close();
        stopped.countDown();
      }, "offhours-local-stop"));
      LocalStackState state = stack.state(ProcessHandle.current().pid());
      LocalApiGateway.writeToken(tokenFile, stack.apiToken());
      state.write(stateFile);
      Status.print(call, state);
      stopped.await();
      return 0;
    }
  }

  static final class Start implements Command {
    @Override
    public String name() {
      return "start";
    }

    @Override
    public String summary() {
      return "start the local stack in the background and print its endpoint URLs";
    }

    @Override
    public List<Option> options() {
      return java.util.stream.Stream.concat(stackOptions().stream(), java.util.stream.Stream.of(Option.JSON)).toList();
    }

    @Override
    public String description() {
      return """
          The stack keeps running after this command returns; 'offhours local stop' stops it. Its state
          (process id, endpoint URLs, resource names) is kept in local/stack.json under the cache directory
          ($OFFHOURS_CACHE, else $XDG_CACHE_HOME/offhours, else ~/.cache/offhours); its logs in local/logs/.
          The URLs work with the AWS CLI, e.g. aws --endpoint-url URL s3 cp photo.jpg s3://offhours-images/
          """;
    }

    @Override
    public int run(Invocation call) throws Exception {
      settings(call); // a bad option is a usage error here, not a failed start in the background
      Path cache = call.context().cacheDir();
      Path stateFile = LocalStackState.file(cache);
      Optional<LocalStackState> running = Status.running(stateFile);
      if (running.isPresent()) {
        call.err().println("the local stack is already running (pid " + running.get().pid() + ")");
        Status.print(call, running.get());
        return 0;
      }
      Files.deleteIfExists(stateFile);
      Path logs = Files.createDirectories(cache.resolve("local").resolve("logs"));
      Path log = logs.resolve("stack.log");
      List<String> command = new ArrayList<>(List.of(
          ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
          "-cp", System.getProperty("java.class.path"), Main.class.getName(), "local", "run"));
      command.addAll(1, OwnTmpdir.jvmOptions(cache.resolve("local")));
      for (Option option : stackOptions()) {
        call.args().value(option.name()).ifPresent(value -> {
          command.add("--" + option.name());
          command.add(value);
        });
      }
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.environment().put("OFFHOURS_CACHE", cache.toString());
      Process child = pb.start();
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        Optional<LocalStackState> state = Status.running(stateFile);
        if (state.isPresent() && state.get().pid() == child.pid()) {
          call.err().println("the local stack is running in the background (pid " + child.pid() + "); log: " + log);
          Status.print(call, state.get());
          return 0;
        }
        if (!child.isAlive()) {
          throw CliException.failure("the local stack did not start (exit code " + child.exitValue() + "):\n"
              + tail(log, 15));
        }
        Thread.sleep(200);
      }
      child.destroy();
      throw CliException.failure("the local stack did not start within " + START_TIMEOUT.toMinutes() + " minutes; see " + log);
    }

    private static String tail(Path log, int lines) throws IOException {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
  }

  static final class Stop implements Command {
    @Override
    public String name() {
      return "stop";
    }

    @Override
    public String summary() {
      return "stop the local stack started with 'offhours local start'";
    }

    @Override
    public int run(Invocation call) throws Exception {
      Path stateFile = LocalStackState.file(call.context().cacheDir());
      Optional<LocalStackState> running = Status.running(stateFile);
      if (running.isEmpty()) {
        Files.deleteIfExists(stateFile);
        call.out().println("the local stack is not running");
        return 0;
      }
      ProcessHandle process = ProcessHandle.of(running.get().pid()).orElseThrow();
      process.destroy();
      try {
        process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        process.destroyForcibly();
      }
      Files.deleteIfExists(stateFile);
      call.out().println("stopped the local stack (pid " + running.get().pid() + ")");
      return 0;
    }
  }

  static final class Status implements Command {
    @Override
    public String name() {
      return "status";
    }

    @Override
    public String summary() {
      return "say whether the local stack runs, and print its endpoint URLs and names";
    }

    @Override
    public List<Option> options() {
      return List.of(Option.JSON);
    }

    @Override
    public int run(Invocation call) throws Exception {
      Optional<LocalStackState> running = running(LocalStackState.file(call.context().cacheDir()));
      if (running.isEmpty()) {
        if (call.json()) {
          call.out().println(Json.line(Json.object().put("running", false)));
        } else {
          call.out().println("the local stack is not running; start it with 'scripts/offhours local start'");
        }
        return 3;
      }
      print(call, running.get());
      return 0;
    }

    static Optional<LocalStackState> running(Path stateFile) {
      if (!Files.isRegularFile(stateFile)) {
        return Optional.empty();
      }
      try {
        LocalStackState state = LocalStackState.read(stateFile);
        boolean alive = state.pid() != null && ProcessHandle.of(state.pid()).map(ProcessHandle::isAlive).orElse(false);
        return alive ? Optional.of(state) : Optional.empty();
      } catch (IOException e) {
        return Optional.empty(); // half-written by a start that is still running: not up yet
      }
    }

    static void print(Invocation call, LocalStackState state) {
      if (call.args().has(Option.JSON.name())) {
        var json = Json.object().put("running", true).put("pid", state.pid()).put("region", state.region());
        var endpoints = json.putObject("endpoints");
        state.endpoints().forEach((k, v) -> endpoints.put(k, v.toString()));
        var names = json.putObject("names");
        state.names().forEach(names::put);
        call.out().println(Json.line(json));
        return;
      }
      List<List<String>> rows = new ArrayList<>();
      state.endpoints().forEach((k, v) -> rows.add(List.of(k, v.toString())));
      call.out().print(Table.render(List.of("SERVICE", "ENDPOINT URL"), rows));
      List<List<String>> names = new ArrayList<>();
      state.names().forEach((k, v) -> names.add(List.of(k, v)));
      call.out().print(Table.render(List.of("RESOURCE", "NAME"), names));
      call.out().println("for the AWS CLI: export AWS_ACCESS_KEY_ID=offhours AWS_SECRET_ACCESS_KEY=offhours "
          + "AWS_DEFAULT_REGION=" + state.region() + "; aws --endpoint-url " + state.endpoints().get("s3")
          + " s3 ls s3://" + state.names().get("bucket"));
      if (state.endpoints().containsKey("api")) {
        call.out().println("for the HTTP API: export OFFHOURS_API=" + state.endpoints().get("api")
            + " OFFHOURS_API_TOKEN=\"$(cat '" + LocalApiGateway.tokenFile(call.context().cacheDir())
            + "')\"; curl -sS -H \"Authorization: Bearer $OFFHOURS_API_TOKEN\" \"$OFFHOURS_API/status\"");
      }
    }
  }
}
