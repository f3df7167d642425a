package offhours.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import offhours.api.ApiConfig;
import offhours.api.Forecast;
import offhours.api.OldestWait;
import offhours.api.StackObserver;
import offhours.api.StatusView;
import offhours.aws.SqsErrors;
import offhours.cli.Target.Name;
import offhours.endpoint.Backlog;
import offhours.endpoint.ControlState;
import offhours.endpoint.ControllerConfig;
import offhours.endpoint.Decision;
import offhours.endpoint.RecordedDecision;
import offhours.endpoint.Schedule;
import offhours.endpoint.SqsBacklog;
import offhours.endpoint.WakePolicy;
import offhours.stack.FunctionVariables;
import offhours.stack.Hosting;
import offhours.units.Times;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * What {@code endpoint status} says of uploads, as GET /status says it: when an upload made now would be classified
 * (the API's own {@link Forecast}, by the controller's policy), the working hours, and how long the oldest waiting
 * upload had waited when the controller last looked ({@link ControlState#backlogSince}, which it plans its latency
 * budget with). The controller's settings come from {@link Target#settings}, the one way the command line has them (a
 * deployed stack's parameters, the local stack's state file); where a setting is not there, it says which.
 *
 * @param at when the queue and the control table were read
 * @param zone the stack's zone, in which every time is said
 * @param schedule the controller's working hours, or null: then {@code scheduleUnknown} says why
 * @param forecast when an upload made now would be classified, or null: then {@code forecastUnknown} says why
 * @param oldest the oldest waiting upload as the controller's last run saw it, or null before its first run
 */
record UploadOutlook(
    Instant at,
    ZoneId zone,
    Schedule schedule,
    String scheduleUnknown,
    Forecast forecast,
    String forecastUnknown,
    OldestWait oldest) {

  /** The controller's settings its working hours are read from, by variable. */
  private static final List<String> SCHEDULE = List.of("TIME_ZONE", "WORKING_HOURS", "HOLIDAYS");

  /** And the rest of what it decides a start with ({@link WakePolicy}), each a stack parameter. */
  private static final List<String> POLICY = List.of(
      "MAX_WAIT_MINUTES",
      "WAKE_BACKLOG_MESSAGES",
      "WAKE_BACKLOG_AGE_MINUTES",
      "BATCHING_WINDOW_SECONDS",
      "INSTANCE_COUNT");

  /** The controller's own names, which its settings' reader requires and the policy never reads: nothing is called. */
  private static final List<String> NAMES = List.of(
      "ENDPOINT_NAME",
      "ENDPOINT_CONFIG_NAME",
      "STACK_ID",
      "MAPPING_UUID",
      "QUEUE_URL",
      "CONTROL_TABLE_NAME");

  /**
   * The queue's counts, read once (GetQueueAttributes) for the forecast and for the handed-back line: null when the
   * stack names no queue or it does not exist, which {@code absent} says; {@code refused} keeps a refused or failed
   * read, for each to say.
   */
  record QueueCounts(Backlog.Snapshot counts, SdkException refused, String absent) {

    QueueCounts {
      if (counts == null && refused == null && absent == null) {
        throw new IllegalArgumentException(
            "no counts, and nothing says why: name the queue (absent)");
      }
    }

    QueueCounts(Backlog.Snapshot counts, SdkException refused) {
      this(counts, refused, null);
    }

    /** The counts of {@code target}'s queue (its QueueUrl); one that does not exist named as every command names it. */
    static QueueCounts read(SqsClient sqs, Target target) {
      Optional<String> queueUrl = target.optionalName(Name.QUEUE_URL);
      if (queueUrl.isEmpty()) {
        return absent(target);
      }
      try {
        return new QueueCounts(new SqsBacklog(sqs, queueUrl.get(), null).read(), null);
      } catch (SqsException e) {
        return SqsErrors.missingQueue(e) ? absent(target) : new QueueCounts(null, e);
      } catch (SdkException e) {
        return new QueueCounts(null, e);
      }
    }

    /** Counts read elsewhere (the page's observation); none when its queue was not there, named as {@link #read}. */
    static QueueCounts of(Backlog.Snapshot counts, Target target) {
      return counts == null ? absent(target) : new QueueCounts(counts, null);
    }

    /** {@code target}'s queue does not exist, or it names none: said naming it, or saying so. */
    private static QueueCounts absent(Target target) {
      return new QueueCounts(
          null,
          null,
          target.optionalName(Name.QUEUE_URL).isEmpty()
              ? target.description() + " names no queue (no " + Name.QUEUE_URL.output() + " output)"
              : NotFound.QUEUE.absent(target, Name.QUEUE_URL));
    }

    /**
     * The delayed count {@link HandBacks} reads, -1 when there is no queue; a refused read is thrown again, for
     * {@link HandBacks#readOrSay} to say it as it says any refused read.
     */
    long delayed() {
      if (refused != null) {
        throw refused;
      }
      return counts == null ? -1 : counts.delayed();
    }

    /** Why there are no counts; null when there are. */
    String missing() {
      if (refused != null) {
        return "reading the queue's counts needs sqs:GetQueueAttributes: "
            + (refused instanceof AwsServiceException e ? MoveTasks.detail(e) : "no answer");
      }
      return counts == null ? absent : null;
    }
  }

  /**
   * The stack's controller settings an outlook is made with, read once from {@link Target#settings}: its working hours,
   * and its policy and tick; each with why it is not known when the stack lacks a setting.
   */
  private record StackSettings(PolicyRead hours, PolicyRead policy) {

    static StackSettings of(Target target) {
      return new StackSettings(
          settings(target, SCHEDULE, false), settings(target, concat(SCHEDULE, POLICY), true));
    }
  }

  /**
   * What the command line can say of uploads on {@code target} at {@code now}.
   *
   * @param last the controller's last decision, empty before its first run
   * @param stored the controller's state, empty before its first run (or without a control table)
   * @param unreadable why the controller's items do not read as this version writes them, else null
   */
  static UploadOutlook of(
      Target target,
      Instant now,
      ZoneId zone,
      Optional<RecordedDecision> last,
      Optional<ControlState> stored,
      String unreadable,
      QueueCounts queue) {
    return of(
        StackSettings.of(target),
        now,
        zone,
        last.map(RecordedDecision::decision),
        stored,
        unreadable,
        queue);
  }

  /**
   * What the page ({@code offhours ui}) says of uploads with each status it shows, as {@code endpoint status} says it:
   * {@code target}'s settings are read here, once per read of them (the page reads them again once a minute, {@link
   * UiCommand#SETTINGS_TTL}); each observation (GET /status's reads: the controller's last decision, its state, the
   * queue's counts) is forecast with them, times in the observation's zone, the page's.
   */
  static Function<StackObserver.Observed, StatusView.Upcoming> forPage(Target target) {
    StackSettings settings = StackSettings.of(target);
    return seen -> of(
            settings,
            seen.at(),
            seen.zone(),
            seen.decision(),
            Optional.of(seen.control()),
            null,
            QueueCounts.of(seen.queue(), target))
        .upcoming();
  }

  private static UploadOutlook of(
      StackSettings settings,
      Instant now,
      ZoneId zone,
      Optional<Decision> last,
      Optional<ControlState> stored,
      String unreadable,
      QueueCounts queue) {
    PolicyRead hours = settings.hours();
    PolicyRead policy = settings.policy();
    Forecast forecast = null;
    String forecastUnknown = policy.unknown();
    if (forecastUnknown == null && unreadable != null) {
      forecastUnknown = "the controller's items do not read: " + unreadable;
    }
    if (forecastUnknown == null && queue.missing() != null) {
      forecastUnknown = queue.missing();
    }
    if (forecastUnknown == null) {
      forecast = Forecast.ofUploadNow(
          policy.config(),
          policy.tick(),
          now,
          last,
          stored.orElse(ControlState.INITIAL),
          queue.counts(),
          zone);
    }
    return new UploadOutlook(
        now,
        zone,
        hours.config() == null ? null : hours.config().schedule(),
        hours.unknown(),
        forecast,
        forecastUnknown,
        unreadable == null ? stored.map(OldestWait::of).orElse(null) : null);
  }

  /** The working hours and the forecast as GET /status's answer takes them, or why each is not known. */
  StatusView.Upcoming upcoming() {
    return new StatusView.Upcoming(schedule, scheduleUnknown, forecast, forecastUnknown);
  }

  /** The controller's settings {@code variables} read as it reads them, and its tick; or why they are not known. */
  private record PolicyRead(ControllerConfig config, Duration tick, String unknown) {}

  /**
   * {@code variables} of the stack's controller settings (with {@code policy}, its hosting and tick too), read by the
   * controller's own reader; or which of them the stack does not record, or why they do not read.
   */
  private static PolicyRead settings(Target target, List<String> variables, boolean policy) {
    Map<String, String> env = new HashMap<>();
    List<String> missing = new ArrayList<>();
    for (String variable : variables) {
      String value = target.settings().get(variable);
      if (value == null) {
        missing.add(
            target.local() ? variable : FunctionVariables.CONTROLLER_PARAMETERS.get(variable));
      } else {
        env.put(variable, value);
      }
    }
    if (policy) {
      target
          .hostingValue()
          .ifPresentOrElse(
              hosting -> env.put("HOSTING", hosting),
              () -> missing.add(target.local() ? "HOSTING" : "Hosting"));
      // A deployed stack's tick is no parameter but its template's fixed value: every template with
      // MaxWaitMinutes, which a forecast needs, runs its controller every minute, as this one does.
      Optional<String> tick = target
          .setting("CONTROLLER_INTERVAL_SECONDS")
          .or(() -> target.local()
              ? Optional.empty()
              : Optional.of(FunctionVariables.API_ENV.get("CONTROLLER_INTERVAL_SECONDS")));
      tick.ifPresentOrElse(
          t -> env.put("CONTROLLER_INTERVAL_SECONDS", t),
          () -> missing.add("CONTROLLER_INTERVAL_SECONDS"));
    }
    if (!missing.isEmpty()) {
      return new PolicyRead(
          null,
          null,
          target.local()
              ? "the local stack's state file does not record " + String.join(", ", missing)
                  + " (it was started by an older version; restart it with this one:"
                  + " 'scripts/offhours local stop', then 'local start')"
              : target.description() + " has no parameter " + String.join(", ", missing)
                  + " (it was deployed from an older template; update it with this version's"
                  + " template.yaml)");
    }
    NAMES.forEach(name -> env.put(name, "not-called"));
    try {
      if (policy && Hosting.parse(env.get("HOSTING").strip()) == Hosting.SCALE_TO_ZERO) {
        env.put("INFERENCE_COMPONENT_NAME", "not-called");
      }
      return new PolicyRead(
          ControllerConfig.policyFromEnvironment(env),
          policy ? ApiConfig.controllerInterval(env) : null,
          null);
    } catch (IllegalArgumentException e) {
      return new PolicyRead(
          null,
          null,
          target.description() + "'s controller settings do not read: " + e.getMessage());
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** The text: the working hours, the oldest waiting upload, an upload made now; times in the stack's zone. */
  List<String> lines(String scheduleAtLastRun) {
    List<String> lines = new ArrayList<>();
    if (schedule != null) {
      lines.add("schedule: " + schedule + ": "
          + (schedule.isOpen(at) ? "inside working hours" : "outside working hours")
          + schedule
              .nextChange(at)
              .map(change -> " until " + Times.at(change, zone))
              .orElse(", no change ahead"));
    } else if (scheduleAtLastRun != null) {
      lines.add("schedule: " + scheduleAtLastRun
          + " at the controller's last run (the working hours are not known here: "
          + scheduleUnknown + ")");
    } else {
      lines.add("schedule: unknown: " + scheduleUnknown);
    }
    if (oldest != null) {
      lines.add("oldest waiting upload: " + oldest.says(zone));
    }
    lines.add("an upload made now: " + (forecast == null ? "unknown: " + forecastUnknown : said()));
    return lines;
  }

  /** The forecast in words: when the endpoint starts, when the result is expected, and why. */
  private String said() {
    if (forecast.expectedAt() == null) {
      return "nothing will start the endpoint (" + forecast.reason() + ")";
    }
    String starts = forecast.startsAt() != null && forecast.startsAt().isAfter(at)
        ? "the endpoint starts by " + Times.at(forecast.startsAt(), zone) + ", "
        : "";
    return starts + "its result is expected by " + Times.at(forecast.expectedAt(), zone) + " ("
        + forecast.reason() + ")";
  }

  /**
   * {@code "schedule"} (GET /status's: {"workingHours", "open", "nextChange"}) or null with {@code "scheduleNote"};
   * {@code "oldestWaiting"}: {"waiting", "queueEmptyAt", "atMostSeconds", "asOf", "says"} or null before the
   * controller's first run; {@code "nextUpload"} (GET /status's: {"startsAt", "expectedAt", "reason"}) or null with
   * {@code "nextUploadNote"}.
   */
  void putJson(ObjectNode json) {
    StatusView.Upcoming upcoming = upcoming();
    json.set("schedule", tree(upcoming.scheduleAt(at)));
    if (schedule == null) {
      json.put("scheduleNote", scheduleUnknown);
    }
    json.set("oldestWaiting", tree(oldest == null ? null : oldest.toMap(zone)));
    json.set("nextUpload", tree(upcoming.nextUploadMap()));
    if (forecast == null) {
      json.put("nextUploadNote", forecastUnknown);
    }
  }

  private static JsonNode tree(Map<String, Object> map) {
    return map == null ? NullNode.getInstance() : Json.MAPPER.valueToTree(map);
  }
}
