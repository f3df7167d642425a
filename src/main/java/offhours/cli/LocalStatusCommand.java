package offhours.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.inference.ModelContract;
import offhours.local.StateFile;
import offhours.local.api.LocalApiGateway;
import offhours.local.model.DefaultModel;
import offhours.local.model.Normalization;
import offhours.local.model.Resample;
import offhours.local.model.Resize;
import offhours.local.process.ProcessReads;
import offhours.stack.Hosting;

/** {@code local status}: whether the local stack runs, its endpoint URLs and resource names. */
final class LocalStatusCommand implements Command {
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

  /** The exit status is its answer for scripts, as an init script's status action (3: not running). */
  @Override
  public String description() {
    return """
        Exits 0 when the local stack runs and 3 when it does not (as an init script's status does),
        also while it is starting (then 'local start' waits until it is up), so a script can ask:
        scripts/offhours local status >/dev/null || scripts/offhours local start
        It also shows the model options the stack serves with (those of 'local start', or of the last
        'local update'): --model or --container-command (the default nsfwjs MobileNetV2 when
        neither), --labels, --content-type, --accept, with --model its --normalize, --resize,
        --resample and --input-size, --hosting, --time-zone (the zone the controller
        keeps its hours in: --time-zone's, else the one 'local start' ran in). PROCESS lists the stack's
        own process and those it started and that run now: moto_server, and the endpoint's
        --container-command process (its shell, /bin/sh -c) and, each as "..., forked by pid N", what
        it forked while the endpoint is up (the server to look at); the default model runs in the
        stack's. COMMAND is each one's command line, escaped and cut to the terminal's width.
        With --json: {"running", "pid", "region", "accessKeyId", "secretAccessKey", "endpoints",
        "names", "served": {"modelFile", "defaultModel", "labelsFile", "containerCommand",
        "contentType", "accept", "normalize", "resize", "resample", "inputSize", "hosting",
        "timeZone"}, "processes": [{"name", "pid", "command"}]} ("command" whole, and only when the
        system says it) ("served" has exactly one of "modelFile", "containerCommand" and
        "defaultModel", the default model's name; each other key only when set; "served" absent for
        a stack of an older version),
        {"running": false, "starting": true, "pid"}, or {"running": false}.""";
  }

  @Override
  public int run(Invocation call) throws Exception {
    Optional<StateFile> running =
        StackProcess.running(StateFile.path(call.context().cacheDir()));
    if (running.isPresent() && running.get().stillStarting()) {
      long pid = running.get().pid();
      if (call.json()) {
        call.out()
            .println(Json.line(
                Json.object().put("running", false).put("starting", true).put("pid", pid)));
      } else {
        call.out()
            .println("the local stack is starting (pid " + pid
                + ") and not up yet; 'scripts/offhours local start' waits until it is up");
      }
      return 3;
    }
    if (running.isEmpty()) {
      if (call.json()) {
        call.out().println(Json.line(Json.object().put("running", false)));
      } else {
        call.out()
            .println("the local stack is not running "
                + Targets.inCacheDirectory(call.context().cacheDir())
                + "; start it with 'scripts/offhours local start'");
      }
      return 3;
    }
    print(call, running.get());
    return 0;
  }

  /** The flag of each {@link #servedOptions} key. */
  static final Map<String, String> FLAGS = Map.ofEntries(
      Map.entry("modelFile", "--" + ModelOptions.MODEL.name()),
      Map.entry("containerCommand", "--" + ModelOptions.CONTAINER_COMMAND.name()),
      Map.entry("labelsFile", "--" + ModelOptions.LABELS.name()),
      Map.entry("contentType", "--" + ModelOptions.CONTENT_TYPE.name()),
      Map.entry("accept", "--" + ModelOptions.ACCEPT.name()),
      Map.entry("normalize", "--" + ModelOptions.NORMALIZE.name()),
      Map.entry("resize", "--" + ModelOptions.RESIZE.name()),
      Map.entry("resample", "--" + ModelOptions.RESAMPLE.name()),
      Map.entry("inputSize", "--" + ModelOptions.INPUT_SIZE.name()),
      Map.entry("hosting", "--" + LocalCommand.HOSTING.name()),
      Map.entry("timeZone", "--" + LocalCommand.TIME_ZONE.name()));

  /**
   * The model options the stack serves with (it started with them, or {@code local update} gave them), by JSON key,
   * in the order of {@code local start --help}: those given only; with {@code namingDefaults}, Content-Type, Accept and
   * the hosting always, the default's named so when not given. Then the controller's hosting and time zone, from the
   * state file's settings: a file of an older version may lack them.
   */
  private static Map<String, String> servedOptions(StateFile state, boolean namingDefaults) {
    Map<String, String> options = new LinkedHashMap<>();
    StateFile.Served served = state.served();
    if (served.modelFile() != null) {
      options.put("modelFile", served.modelFile());
    }
    if (served.containerCommand() != null) {
      options.put("containerCommand", served.containerCommand());
    }
    if (served.labelsFile() != null) {
      options.put("labelsFile", served.labelsFile());
    }
    putSetting(
        options,
        "contentType",
        state.model().get("CONTENT_TYPE"),
        ModelContract.X_IMAGE,
        namingDefaults);
    putSetting(options, "accept", state.model().get("ACCEPT"), ModelContract.JSON, namingDefaults);
    if (served.modelFile() != null) {
      // An ONNX model's own resize and normalization; a command's server and the default model
      // prepare their images themselves.
      putSetting(
          options,
          "normalize",
          served.normalize(),
          Normalization.UNIT_SCALE.spelling(),
          namingDefaults);
      putSetting(options, "resize", served.resize(), Resize.STRETCH.value(), namingDefaults);
      putSetting(options, "resample", served.resample(), Resample.BILINEAR.value(), namingDefaults);
      if (served.inputSize() != null) {
        // No default to name: without it the model's input has its own fixed size.
        options.put("inputSize", served.inputSize());
      }
    }
    // The controller's settings, as its environment has them: --hosting (empty: the template's
    // default) and the zone --time-zone gave, else the one 'local start' ran in.
    putSetting(
        options,
        "hosting",
        state.settings().get("HOSTING"),
        Hosting.SCHEDULED.value(),
        namingDefaults);
    String zone = state.settings().get("TIME_ZONE");
    if (zone != null && !zone.isEmpty()) {
      options.put("timeZone", zone);
    }
    return options;
  }

  /** Classify's setting (empty: the default) under {@code key}. */
  private static void putSetting(
      Map<String, String> options,
      String key,
      String value,
      String fallback,
      boolean namingDefaults) {
    if (value != null && !value.isEmpty()) {
      options.put(key, value);
    } else if (namingDefaults) {
      options.put(key, fallback + " (default)");
    }
  }

  /**
   * A process as status lists it; {@code command} empty when the system does not say it (asked again while the
   * process is exec'ing, as a container command behind pyenv's shim does as it starts: {@link ProcessReads}).
   */
  private record Listed(String name, long pid, Optional<String> command) {
    static Listed of(String name, ProcessHandle process) {
      return new Listed(name, process.pid(), ProcessReads.commandLine(process));
    }
  }

  /**
   * The stack's process, then each process the state file records it started and that still runs, followed by what
   * it forked (a container's shell, then its server), named as {@link StackChildren} names them: what an operator
   * looks for when a model server misbehaves (the container's log is local/logs/ENDPOINT-PORT.log), or to see what a
   * stack killed outright left behind. Each one's command line tells the shell from its server.
   */
  private static List<Listed> processes(StateFile state) {
    List<Listed> listed = new ArrayList<>();
    listed.add(ProcessHandle.of(state.pid())
        .map(p -> Listed.of("the local stack", p))
        .orElse(new Listed("the local stack", state.pid(), Optional.empty())));
    StackChildren.running(state.children())
        .forEach(n -> listed.add(Listed.of(n.name(), n.process())));
    return listed;
  }

  static void print(Invocation call, StateFile state) {
    if (call.args().has(Option.JSON.name())) {
      var json = Json.object()
          .put("running", true)
          .put("pid", state.pid())
          .put("region", state.region())
          .put("accessKeyId", state.accessKeyId())
          .put("secretAccessKey", state.secretAccessKey());
      var endpoints = json.putObject("endpoints");
      state.endpoints().forEach((k, v) -> endpoints.put(k, v.toString()));
      var names = json.putObject("names");
      state.names().forEach(names::put);
      if (state.served() != null) {
        var served = json.putObject("served");
        // Where neither --model nor --container-command was given, the embedded model is named: a
        // script finds exactly one of the three keys, whichever serves.
        if (state.served().isDefault()) {
          served.put("defaultModel", DefaultModel.NAME);
        }
        servedOptions(state, false).forEach(served::put);
      }
      var processes = json.putArray("processes");
      processes(state).forEach(p -> {
        var process = processes.addObject().put("name", p.name()).put("pid", p.pid());
        p.command().ifPresent(c -> process.put("command", c));
      });
      call.out().println(Json.line(json));
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    state.endpoints().forEach((k, v) -> rows.add(List.of(k, v.toString())));
    call.out().print(TextTable.render(List.of("SERVICE", "ENDPOINT URL"), rows));
    List<List<String>> names = new ArrayList<>();
    state.names().forEach((k, v) -> names.add(List.of(k, v)));
    call.out().print(TextTable.render(List.of("RESOURCE", "NAME"), names));
    if (state.served() != null) {
      List<List<String>> served = new ArrayList<>();
      if (state.served().isDefault()) {
        served.add(List.of("--model", "none: the default " + DefaultModel.NAME));
      }
      servedOptions(state, true)
          .forEach((key, value) -> served.add(List.of(FLAGS.get(key), value)));
      // TextTable shows each cell escaped: a command line is the user's own text, shown, never run.
      // What it serves now: after 'local update', not what it started with.
      call.out().print(TextTable.render(List.of("MODEL OPTION", "SERVING WITH"), served));
    }
    List<List<String>> processes = new ArrayList<>();
    processes(state)
        .forEach(p ->
            processes.add(List.of(p.name(), Long.toString(p.pid()), p.command().orElse(""))));
    // The command is the last column, escaped and cut to the terminal's width: a java command line
    // with its class path runs to thousands of characters.
    call.out()
        .print(TextTable.render(
            List.of("PROCESS", "PID", "COMMAND"), processes, call.context().columns()));
    call.out()
        .println(
            "for the AWS CLI (these credentials are this stack's own; the local SageMaker and Lambda"
                + " accept no others, and the HTTP API takes them signed for execute-api, as curl"
                + " --aws-sigv4 does):");
    call.out()
        .println("export AWS_ACCESS_KEY_ID=" + state.accessKeyId() + " AWS_SECRET_ACCESS_KEY="
            + state.secretAccessKey() + " AWS_DEFAULT_REGION=" + state.region());
    call.out()
        .println("aws --endpoint-url " + state.endpoint(StateFile.ServiceKey.S3).orElseThrow()
            + " s3 ls s3://" + state.name(StateFile.NameKey.BUCKET).orElseThrow());
    state
        .apiEndpoint()
        .ifPresent(
            api -> call.out()
                .println(
                    "for the HTTP API: export OFFHOURS_API=" + api
                        + " OFFHOURS_API_TOKEN=\"$(cat '"
                        + LocalApiGateway.tokenFile(call.context().cacheDir())
                        + "')\"; curl -sS -H \"Authorization: Bearer $OFFHOURS_API_TOKEN\" \"$OFFHOURS_API/status\""));
  }
}
