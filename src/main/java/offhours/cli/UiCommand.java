package offhours.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import offhours.aws.AwsClients;
import offhours.cli.Target.Name;
import offhours.local.StateFile;
import offhours.ui.AwsUiData;
import offhours.ui.PageDeadline;
import offhours.ui.Refreshed;
import offhours.ui.UiData;
import offhours.ui.UiServer;
import offhours.ui.UploadRules;

/** {@code offhours ui}: a local web page on the stack, with the CLI's own clients and credentials. */
final class UiCommand implements Command {
  /** How often the page of the local stack looks whether the stack still runs. */
  private static final Duration WATCH_EVERY = Duration.ofSeconds(2);

  /**
   * How old the stack's settings may get before the page reads them again: a change ('sam deploy' with another
   * MaxWaitMinutes, WorkingHours or TimeZone) shows within a minute, at one DescribeStacks a minute per page
   * process, whatever its tabs poll (CloudFormation throttles DescribeStacks per account and Region).
   */
  static final Duration SETTINGS_TTL = Duration.ofMinutes(1);

  /**
   * Where one attempt of the page's reads of the stack is cut (the status's DynamoDB and SQS reads, the results and
   * the ledger, DescribeStacks of the settings read again): each is a small request that answers in well under a
   * second, from afar on a new TLS connection too, so an attempt that has not answered in 2 s has stalled and is tried
   * once more.
   */
  static final Duration READ_ATTEMPT = Duration.ofSeconds(2);

  /**
   * Where one of the page's reads, its retries and all, is cut: a stack that accepts connections but never answers (AWS
   * or moto_server hung) makes the page say Unreachable and why within 5 s, two of its 2.5 s polls, not after the
   * CLI's 50 s ({@link AwsClients#CALL_TIMEOUT}), and the page's server does not pile up polls waiting on it.
   */
  static final Duration READ_CALL = Duration.ofSeconds(5);

  /**
   * Where a thumbnail's source that stops coming part-way is cut: once no byte of it has come for 5 s. {@link
   * #READ_CALL} ends when S3 starts to answer, and a body that stalls after it would hold one of the page server's
   * threads for the socket's 70 s; a source that keeps coming, a 20 MB one on a slow link however long it takes, is
   * read whole. A link that sends nothing for 5 s in the middle of an answer has stalled.
   */
  static final Duration READ_STALL = Duration.ofSeconds(5);

  private static final int MAX_PORT = 65_535;
  private static final Option PORT =
      Option.value("port", "N", "listen on 127.0.0.1:N, 1-" + MAX_PORT + " (default: a free port)");

  @Override
  public String name() {
    return "ui";
  }

  @Override
  public String summary() {
    return "open a web page of the stack: results with thumbnails, uploads, the endpoint, the savings";
  }

  @Override
  public List<Option> options() {
    return List.of(PORT, CostCommand.PRICE, CostCommand.ZONE, Option.JSON, Option.STACK);
  }

  @Override
  public String description() {
    return """
        Serves a page on 127.0.0.1 and prints its address, which carries a random token: only who
        has the address can use the page. It shows the results as thumbnails with their labels
        (filter by label and status, search by key), takes uploads by drag and drop, shows the
        endpoint, the controller's reason, the queue and the dead-letter queue with start, stop and
        auto buttons (and, as 'offhours queue' does, uploads handed back while the endpoint serves),
        and, as 'endpoint status' says them, the working hours, when an upload made now is expected
        and the oldest waiting upload's age; it charts the savings ledger per day. A result classified under other model
        settings than the stack's (as 'offhours results' compares them) is marked, and the page says
        how many of those it shows. Nothing is loaded from the network. The stack's settings are read
        again once they are a minute old (one DescribeStacks a minute with --stack), so a 'sam deploy'
        shows within a minute; when that read fails, the page says so and keeps the last good ones.
        It runs until Ctrl-C; the page of the local stack ends, with exit status 1, when that stack stops.
        With --json, prints {"url", "stack"} on one line instead.

        examples:
          offhours ui
          offhours ui --stack offhours --time-zone Europe/Berlin --price 0.115
        """;
  }

  @Override
  public int run(Invocation call) throws Exception {
    // The number given, refused by the most a port is (99999999999 was once said as 1215752191).
    int port = call.args().value(PORT.name()).isPresent()
        ? NumberFlags.positive(call.args(), PORT, 0, MAX_PORT)
        : 0;
    CostSettings.checkFlags(call.args());
    Target target = call.target();
    StackPage page;
    try {
      page = page(call, target);
    } catch (RuntimeException e) {
      target.close();
      throw e;
    }
    AwsUiData data = page.data();
    StackSettingsReader reader = page.reader();
    Refreshed<AwsUiData.PageSettings> settings = page.settings();
    UiServer server;
    try {
      server = serve(data, port, settings);
    } catch (BindException e) {
      data.close();
      reader.close();
      target.close();
      throw CliException.failure("127.0.0.1:" + port + " is in use by another program ("
          + e.getMessage() + "); choose another --port, or leave --port out for a free one");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean closed = new AtomicBoolean();
    Runnable close = () -> {
      if (closed.compareAndSet(false, true)) {
        server.close();
        data.close();
        reader.close();
        target.close();
      }
    };
    Thread hook = new Thread(
        () -> {
          close.run();
          stopped.countDown();
        },
        "offhours-ui-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    if (call.json()) {
      call.out()
          .println(Json.line(Json.object()
              .put("url", server.url().toString())
              .put("stack", target.description())));
    } else {
      call.out().println("offhours ui for " + target.description() + ": " + server.url());
      call.out()
          .println(
              "the address carries the page's token: keep it to yourself. Ctrl-C stops the page.");
    }
    // Said once the page serves, of the limit read at the start: the page says it again with each
    // upload it refuses, of the limit as last read.
    Optional<String> assumed = settings.get().value().uploads().assumption();
    assumed.ifPresent(why -> call.err().println("note: " + why));
    call.out().flush();
    AtomicBoolean stackGone = new AtomicBoolean();
    LocalStackWatch watch = target.local()
        ? watch(call, () -> {
          stackGone.set(true);
          close.run();
          stopped.countDown();
        })
        : null;
    try {
      stopped.await();
    } catch (InterruptedException e) {
      // Run in-process (a test, an embedding) and interrupted, not ended by Ctrl-C: the page
      // stops now, not when the JVM exits.
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running already
      }
      close.run();
      Thread.currentThread().interrupt();
    } finally {
      if (watch != null) {
        watch.close();
      }
    }
    return stackGone.get() ? CliException.FAILURE : 0;
  }

  /**
   * What {@link #run} serves of {@code target}: the page's data, read through {@linkplain #forPage the page's view} of
   * its clients, but for the controller's actions, asked through {@code target} itself; its settings as last read; and
   * the reader that reads them again. Closing them is the caller's, {@code target} too.
   */
  record StackPage(
      AwsUiData data, Refreshed<AwsUiData.PageSettings> settings, StackSettingsReader reader) {}

  /** The {@link StackPage} of {@code target}, as {@link #run} serves it; a setting that does not read throws. */
  static StackPage page(Invocation call, Target target) {
    Target page = forPage(target);
    StackSettingsReader reader = call.args()
        .value(Option.STACK.name())
        .map(stack -> StackSettingsReader.deployed(page, stack))
        .orElseGet(
            () -> StackSettingsReader.local(page, StateFile.path(call.context().cacheDir())));
    AwsUiData.StackView view;
    Refreshed<AwsUiData.PageSettings> settings;
    try {
      view = view(page);
      settings = settings(call, page, view, reader);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
    AwsUiData data = new AwsUiData(
        view, call.context().clock(), action -> control(target, action), settings::get);
    return new StackPage(data, settings, reader);
  }

  /** The page of the local stack ends with the stack: a stack started again has other ports and credentials. */
  private static LocalStackWatch watch(Invocation call, Runnable stop) {
    Path stateFile = StateFile.path(call.context().cacheDir());
    long pid = StackProcess.running(stateFile).map(StateFile::pid).orElse(-1L);
    return LocalStackWatch.start(stateFile, pid, WATCH_EVERY, () -> {
      call.err()
          .println(
              "offhours: the local stack (pid " + pid + ") has stopped, so this page stops too: its"
                  + " addresses and credentials were that stack's. Start a stack ('scripts/offhours local start'),"
                  + " then run 'scripts/offhours ui' again");
      stop.run();
    });
  }

  /**
   * The page of {@code data} on 127.0.0.1:{@code port}, refusing uploads by the stack's limit as {@code settings} last
   * read it: the limit a redeploy changes (another Hosting) follows within {@link #SETTINGS_TTL}, as the rest of the
   * page does, with the same read.
   */
  static UiServer serve(AwsUiData data, int port, Refreshed<AwsUiData.PageSettings> settings)
      throws IOException {
    return UiServer.start(data, port, () -> settings.get().value().uploads());
  }

  /**
   * The page's settings: read from {@code target} now, and by {@code again} once they are {@link #SETTINGS_TTL} old
   * when the page next asks for them. A setting that does not read as the page needs it is said now, and the page does
   * not start; read again later, it leaves the page on the last good read, saying so.
   */
  static Refreshed<AwsUiData.PageSettings> settings(
      Invocation call, Target target, AwsUiData.StackView view, Supplier<Target> again) {
    return new Refreshed<>(
        pageSettings(call, target, view),
        () -> pageSettings(call, again.get(), view),
        SETTINGS_TTL,
        call.context().clock());
  }

  /**
   * What the page goes by of {@code target}'s settings, made at the start and of each read again: the ledger's zone
   * and prices as {@code cost} reads them (a flag over the stack's setting), the model settings results are compared
   * with, the controller's settings the working hours and the forecast are made with, and the image limit uploads are
   * refused by (from the hosting, as {@code upload} reads it).
   */
  private static AwsUiData.PageSettings pageSettings(
      Invocation call, Target target, AwsUiData.StackView view) {
    CostSettings cost = CostSettings.of(call, target);
    LiveSettingsLookup live = LiveSettingsLookup.of(target);
    ImageLimit limit = ImageLimit.of(target);
    return new AwsUiData.PageSettings(
        new AwsUiData.Pricing(cost.zone(), cost.prices()),
        () -> live.now(view.dynamo(), view.resultsTable()),
        UploadOutlook.forPage(target),
        new UploadRules(limit.bytes(), limit.assumption()));
  }

  /**
   * {@code target} with clients whose calls are cut at the page's {@link #READ_ATTEMPT} and {@link #READ_CALL}, on its
   * HTTP client (closing {@code target} closes it), a read cut there said in the page's words ({@link PageDeadline}).
   * The controller's actions are asked through {@code target} itself: Invoke waits for the controller's run, which no
   * page deadline should cut.
   */
  private static Target forPage(Target target) {
    return target.withClients(new PageDeadline(READ_ATTEMPT, READ_CALL).on(target.clients()));
  }

  /** What the page needs of the target: the ui package knows nothing of the CLI's types. */
  private static AwsUiData.StackView view(Target target) {
    return new AwsUiData.StackView(
        target.description(),
        target.s3(),
        target.s3ForSmallReads(READ_STALL),
        target.dynamoDb(),
        target.sqs(),
        target.name(Name.BUCKET),
        target.name(Name.QUEUE_URL),
        target.name(Name.DLQ_URL),
        target.name(Name.RESULTS_TABLE),
        target.name(Name.CONTROL_TABLE),
        target.name(Name.ENDPOINT),
        target.created(),
        target.local());
  }

  /**
   * Asks the controller, as 'offhours endpoint ACTION' does; its answer as a map. A stack whose outputs (or state file)
   * name no controller is refused here with a 500, saying what to do: the page's server cannot carry the action out,
   * whatever the request, and the stack was never asked.
   */
  private static Map<String, Object> control(Target target, String action)
      throws UiData.UiException {
    if (target.optionalName(Name.CONTROLLER_FUNCTION).isEmpty()) {
      throw new UiData.UiException(
          500,
          "the page cannot ask the controller to " + action + ": "
              + target.missing(Name.CONTROLLER_FUNCTION));
    }
    String answer;
    try {
      answer = EndpointControlCommand.ask(target, Json.object().put("action", action));
    } catch (CliException e) {
      // What the stack answered in place of the action (no such function, the controller failed):
      // an answer, not an outage; a stack that cannot be reached fails with the SDK's exception.
      throw new UiData.UiException(502, "the stack answered with an error: " + e.getMessage());
    }
    try {
      return answer.isBlank() ? Map.of() : Json.MAPPER.readValue(answer, new TypeReference<>() {});
    } catch (JsonProcessingException e) {
      return Map.of("answer", answer);
    }
  }
}
