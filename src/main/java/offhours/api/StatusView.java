package offhours.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import offhours.endpoint.ControlState;
import offhours.endpoint.ControllerOutlook;
import offhours.endpoint.Decision;
import offhours.endpoint.HandedBackWhileServing;
import offhours.endpoint.Ledger;
import offhours.endpoint.LedgerPrices;
import offhours.endpoint.Schedule;
import offhours.endpoint.ServerlessUsage;

/**
 * The stack's status as the API's GET /status and the UI show it (JSON). What the controller does next (when it runs
 * again and why, what started its last run, the armed timer, the expected wake and stop) is the {@code controller}
 * object, {@link ControllerOutlook#toMap}.
 */
public final class StatusView {

  private StatusView() {}

  /**
   * The working hours and when an upload made now would be classified ({@link Forecast}), by the controller's
   * settings: the API has them; the page reads a stack's as {@code endpoint status} does, and where a setting is
   * missing (an older template or state file) the note says which instead.
   *
   * @param schedule the controller's working hours, or null: then {@code scheduleNote} says why
   * @param nextUpload the forecast for an upload made now, or null: then {@code nextUploadNote} says why
   */
  public record Upcoming(
      Schedule schedule, String scheduleNote, Forecast nextUpload, String nextUploadNote) {

    /** Both known, as the API knows them. */
    public static Upcoming known(Schedule schedule, Forecast nextUpload) {
      return new Upcoming(schedule, null, nextUpload, null);
    }

    /** GET /status's {@code schedule} at {@code at}: {"workingHours", "open", "nextChange"}; null when not known. */
    public Map<String, Object> scheduleAt(Instant at) {
      return schedule == null
          ? null
          : orderedMap(
              "workingHours",
              schedule.toString(),
              "open",
              schedule.isOpen(at),
              "nextChange",
              schedule.nextChange(at).orElse(null));
    }

    /** GET /status's {@code nextUpload}: {"startsAt", "expectedAt", "reason"}; null when not known. */
    public Map<String, Object> nextUploadMap() {
      return nextUpload == null
          ? null
          : orderedMap(
              "startsAt",
              nextUpload.startsAt(),
              "expectedAt",
              nextUpload.expectedAt(),
              "reason",
              nextUpload.reason());
    }
  }

  /**
   * @param prices what the stack's ledger is priced with, as {@code offhours cost} prices it
   * @param upcoming the working hours and the forecast for an upload made now, or why they are not known
   * @param local the stack is the local one: {@code handedBack} points at its log, not at a log group
   */
  public static Map<String, Object> of(
      StackObserver.Observed seen,
      String endpointName,
      LedgerPrices prices,
      Upcoming upcoming,
      boolean local) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("observedAt", seen.at());
    Map<String, Object> endpoint = new LinkedHashMap<>();
    endpoint.put("name", endpointName);
    Map<String, Object> trigger = new LinkedHashMap<>();
    if (seen.decision().isEmpty()) {
      endpoint.put("state", "UNKNOWN");
      endpoint.put(
          "reason", "the controller has not run yet; it runs on a timer and records what it sees");
      trigger.put("state", "UNKNOWN");
    } else {
      Decision d = seen.decision().get();
      endpoint.put("state", d.endpoint().state().name());
      endpoint.put("observedAt", d.at());
      endpoint.put("createdAt", d.endpoint().createdAt());
      endpoint.put("failureReason", d.endpoint().failureReason());
      endpoint.put("want", d.wantOn() ? "ON" : "OFF");
      endpoint.put("reason", d.wantReason());
      endpoint.put("lastAction", d.action().name());
      endpoint.put("why", d.why());
      endpoint.put("outcome", d.outcome());
      endpoint.put("runningOutsideSchedule", d.runningOutsideSchedule());
      trigger.put("state", d.mapping().name());
      trigger.put("observedAt", d.at());
    }
    status.put("endpoint", endpoint);
    status.put("trigger", trigger);
    status.put(
        "controller",
        ControllerOutlook.of(
                seen.decision(),
                seen.startedBy(),
                // as the controller's next run will plan: only this hosting's wake and stop times
                seen.control().forHosting(prices.hosting()),
                seen.at())
            .toMap());
    ControlState.Override o = seen.control().override();
    status.put(
        "override",
        o == null || (o.until() != null && !seen.at().isBefore(o.until()))
            ? null
            : orderedMap("mode", o.mode().name(), "until", o.until()));
    status.put("schedule", upcoming.scheduleAt(seen.at()));
    if (upcoming.schedule() == null) {
      status.put("scheduleNote", upcoming.scheduleNote());
    }
    status.put(
        "queue",
        orderedMap(
            "visible",
            seen.queue().visible(),
            "inFlight",
            seen.queue().inFlight(),
            "delayed",
            seen.queue().delayed(),
            "observedAt",
            seen.at()));
    OldestWait oldest = OldestWait.of(seen.control());
    status.put("oldestWaiting", oldest == null ? null : oldest.toMap(seen.zone()));
    status.put("handedBack", handedBack(seen, local));
    status.put(
        "deadLetterQueue", orderedMap("messages", seen.queue().dead(), "observedAt", seen.at()));
    status.put("ledger", ledger(seen, prices));
    status.put("nextUpload", upcoming.nextUploadMap());
    if (upcoming.nextUpload() == null) {
      status.put("nextUploadNote", upcoming.nextUploadNote());
    }
    return status;
  }

  /**
   * Null, or the sign that uploads are handed back while the endpoint serves ({@link HandedBackWhileServing}): from the
   * controller's last decision (the endpoint and the trigger as its run saw them; the API reads neither itself, its zip
   * has no SageMaker control plane nor Lambda SDK) and the queue's delayed count now. {@code says} is the line
   * {@code queue} prints but for its caveat and where to read why, which come apart ({@code caveat}, {@code why}) for
   * the page to set them apart; it says how old the states are, and {@code statesObservedAt} when they were seen.
   */
  private static Map<String, Object> handedBack(StackObserver.Observed seen, boolean local) {
    if (seen.decision().isEmpty()) {
      return null;
    }
    Decision d = seen.decision().get();
    return HandedBackWhileServing.of(d, seen.queue().delayed())
        .map(sign -> orderedMap(
            "delayed",
            sign.delayed(),
            "inferred",
            true,
            "says",
            sign.told(HandedBackWhileServing.atTheControllersRun(d.at(), seen.at(), seen.zone())),
            "caveat",
            HandedBackWhileServing.CAVEAT,
            "why",
            HandedBackWhileServing.where(local),
            "statesObservedAt",
            d.at()))
        .orElse(null);
  }

  /**
   * Today so far: endpoint-hours and the serverless invocations, their cost, against an endpoint that has been on
   * since midnight, or since the stack started when that was today ({@code alwaysOnSince}), priced and compared as
   * {@code offhours cost} prices today (LedgerPrices; the API has no Jackson for CostReport).
   */
  private static Map<String, Object> ledger(StackObserver.Observed seen, LedgerPrices prices) {
    Ledger.Day day = seen.today();
    ServerlessUsage usage = seen.serverless();
    double hours = day.endpointSeconds() / 3600.0;
    double alwaysOnHours =
        Ledger.alwaysOnHours(day.date(), seen.zone(), seen.alwaysOnSince(), seen.at());
    double serverlessCost = prices.serverlessUsd(usage);
    double cost = prices.endpointUsd(hours) + serverlessCost;
    double alwaysOn = prices.endpointUsd(alwaysOnHours);
    Map<String, Object> m = orderedMap(
        "date",
        day.date(),
        "hosting",
        prices.hosting().value(),
        "endpointHours",
        round(hours),
        "outsideScheduleHours",
        round(day.outsideScheduleSeconds() / 3600.0),
        "starts",
        day.starts(),
        "stops",
        day.stops(),
        "costUsd",
        usd(cost),
        "alwaysOnHours",
        round(alwaysOnHours),
        "alwaysOnCostUsd",
        usd(alwaysOn),
        "alwaysOnSince",
        seen.alwaysOnSince());
    m.put(
        "savedPercent",
        alwaysOnHours == 0
            ? null
            : round(
                LedgerPrices.savedPercent(hours, alwaysOnHours, cost, alwaysOn, serverlessCost)));
    if (prices.serverless() || usage.invocations() > 0) {
      m.put(
          "serverless",
          orderedMap(
              "invocations",
              usage.invocations(),
              "gbSeconds",
              round(usage.gbSeconds()),
              "dataGb",
              round(usage.dataGb()),
              "costUsd",
              usd(serverlessCost)));
    }
    m.put("timeZone", seen.zone().getId());
    return m;
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  /** Dollars to a millionth: a day of a few serverless invocations costs a fraction of a cent. */
  private static double usd(double value) {
    return Math.round(value * 1_000_000) / 1_000_000.0;
  }

  /** A map in the order given (Map.of has none); values may be null. */
  static Map<String, Object> orderedMap(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
