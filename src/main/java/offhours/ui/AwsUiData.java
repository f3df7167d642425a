package offhours.ui;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import offhours.api.KeptLedgerStart;
import offhours.api.ResultsQuery;
import offhours.api.StackObserver;
import offhours.api.StatusView;
import offhours.endpoint.CostReport;
import offhours.endpoint.DynamoControlTable;
import offhours.endpoint.LedgerPrices;
import offhours.results.LiveSettings;
import offhours.units.Times;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The page's data from the stack the CLI targets, with the user's own clients: results (DynamoDB), the controller's
 * records and the queues (as GET /status reads them), the ledger, thumbnails and uploads (S3), and the controller's
 * manual actions (through the same Invoke the CLI's 'endpoint start|stop|auto' uses).
 */
public final class AwsUiData implements UiData, AutoCloseable {

  /** The largest object a thumbnail is made of (a bigger one gets none). */
  private static final long MAX_THUMBNAIL_SOURCE_BYTES = 20L * 1024 * 1024;

  /** How the page is priced and dated: the ledger's zone and prices (as {@code offhours cost}'s). */
  public record Pricing(ZoneId zone, LedgerPrices prices) {}

  /**
   * What the page goes by of the stack's settings, made of one read of them: how it is priced and dated; which model
   * settings results are compared with ({@code live}, asked once per page of results); of each status read, the
   * working hours and the forecast for an upload made now by the stack's controller settings, as {@code endpoint
   * status} makes them, or which setting the stack lacks ({@code upcoming}); and what the page's server refuses an
   * upload by, the stack's image limit among it ({@code uploads}, which {@link UiServer} asks for).
   */
  public record PageSettings(
      Pricing pricing,
      Supplier<LiveSettings> live,
      Function<StackObserver.Observed, StatusView.Upcoming> upcoming,
      UploadRules uploads) {}

  /**
   * The stack the page shows, as the CLI resolved it: its description, clients and resource names, when it was
   * created (empty when unknown), and whether it is the local stack (its functions log to its own log, not to log
   * groups). Uploads go through {@code s3}, which no deadline cuts; thumbnails are read through {@code thumbnails},
   * whose HeadObject and GetObject are cut as the page's other reads are, and whose body is cut once it stops coming
   * part-way, so a hung S3 does not hold one of the page server's threads for the socket's timeout.
   */
  public record StackView(
      String description,
      S3Client s3,
      S3Client thumbnails,
      DynamoDbClient dynamo,
      SqsClient sqs,
      String bucket,
      String queueUrl,
      String dlqUrl,
      String resultsTable,
      String controlTable,
      String endpoint,
      Optional<Instant> created,
      boolean local) {}

  /** The page shows when the period's always-on starts to the minute, in the stack's zone. */
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

  private final StackView target;
  private final S3Client s3;
  private final S3Client thumbnailReads;
  private final DynamoDbClient dynamo;
  private final SqsClient sqs;
  private final Clock clock;
  private final Controller controller;
  private final Supplier<Refreshed.AsRead<PageSettings>> settings;
  private final ThumbnailCache thumbnails = new ThumbnailCache(400);
  /**
   * The ledger's start, as the API keeps it: the status and the ledger read it at every refresh of the page, and once
   * the controller has recorded it, it never changes.
   */
  private final KeptLedgerStart ledgerStart = new KeptLedgerStart();

  /**
   * Asks the stack's controller function for a manual action and returns its answer; what the stack answers instead
   * (no such function, the controller failed) is a {@link UiException}, an answer of the stack's as the page's server's
   * log counts it, and a failure to reach the stack is the SDK's exception.
   */
  @FunctionalInterface
  public interface Controller {
    Map<String, Object> apply(String action) throws UiException;
  }

  /**
   * {@code controller} asks the controller function for an action and returns its answer; {@code settings} gives the
   * stack's settings as last read ({@link Refreshed#get}: read again once they are old), asked once per request.
   */
  public AwsUiData(
      StackView target,
      Clock clock,
      Controller controller,
      Supplier<Refreshed.AsRead<PageSettings>> settings) {
    this.target = target;
    this.s3 = target.s3();
    this.thumbnailReads = target.thumbnails();
    this.dynamo = target.dynamo();
    this.sqs = target.sqs();
    this.clock = clock;
    this.controller = controller;
    this.settings = settings;
  }

  @Override
  public Map<String, Object> status() {
    Refreshed.AsRead<PageSettings> read = settings.get();
    Pricing pricing = read.value().pricing();
    StackObserver.Observed seen = new StackObserver(
            dynamo,
            sqs,
            target.controlTable(),
            target.queueUrl(),
            target.dlqUrl(),
            pricing.zone(),
            clock,
            ledgerStart)
        .observe();
    if (target.created().isPresent()) {
      // The stack's start as the CLI read it (CreationTime, the local stack's start) where that is
      // earlier than the ledger's recorded one, or there is none, as 'offhours cost' counts it.
      seen = seen.startingAt(target.created().get());
    }
    Map<String, Object> status = StatusView.of(
        seen,
        target.endpoint(),
        pricing.prices(),
        read.value().upcoming().apply(seen),
        target.local());
    status.put("stack", target.description());
    status.put("settingsReadAt", read.readAt());
    if (read.failingSince() != null) {
      status.put("settingsNote", settingsNote(read, pricing.zone()));
    }
    return status;
  }

  /**
   * What the page says while the stack's settings cannot be read again: since when, why, and which read it goes by
   * instead; the page shows it as text.
   */
  private String settingsNote(Refreshed.AsRead<PageSettings> read, ZoneId zone) {
    return "The settings of " + target.description() + " could not be read again since "
        + Times.at(read.failingSince(), zone) + " (" + read.failure()
        + "): the working hours, the forecast, the prices, the settings marks and the upload"
        + " limit are as read at "
        + Times.at(read.readAt(), zone) + ".";
  }

  @Override
  public Map<String, Object> results(ResultsQuery.Filter filter, int limit, String next) {
    ResultsQuery.Page page =
        new ResultsQuery(dynamo, target.resultsTable()).page(filter, limit, next);
    LiveSettings live = settings.get().value().live().get();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put(
        "results",
        page.items().stream().map(r -> ResultCard.of(r, live.fingerprint())).toList());
    answer.put("next", page.next());
    answer.put("settings", settings(live));
    return answer;
  }

  @Override
  public Map<String, Object> ledger(int days) {
    Pricing pricing = settings.get().value().pricing();
    Instant now = clock.instant();
    ZoneId zone = pricing.zone();
    LocalDate to = LocalDate.ofInstant(now, zone);
    LocalDate first = to.minusDays(days - 1L);
    // Always-on starts when the stack did, as 'offhours cost' counts it (Ledger.stackStart).
    CostReport.StackStart started = CostReport.StackStart.of(
        ledgerStart.apply(new DynamoControlTable(dynamo, target.controlTable())), target.created());
    Instant start = started.at().orElse(first.atStartOfDay(zone).toInstant());
    CostReport report = CostReport.fromAws(
        dynamo,
        target.controlTable(),
        target.resultsTable(),
        zone,
        first,
        to,
        pricing.prices(),
        start,
        now,
        CostReport.Reads.AS_THEY_COME);
    // Days before the stack existed were not days the endpoint was off: the page counts the saving
    // from 'since', the instant the report's period starts, shown in the stack's zone.
    ZonedDateTime since = report.from();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("since", since.toLocalDate());
    answer.put("sinceTime", since.toLocalTime().format(HH_MM));
    // A period that starts after it ends has no saving to show: said as 'cost --compare' says it.
    answer.put(
        "nothingYet",
        report.nothingToCompareYet()
            ? report.nothingToCompareYet(
                    target.description() + started.how(target.local()), started.at())
                + "; the ledger counts the hours from then until now: check the clock, or look again later"
            : null);
    answer.put("days", report.days().stream().map(AwsUiData::row).toList());
    answer.put("hosting", pricing.prices().hosting().value());
    answer.put("instanceType", pricing.prices().instanceType());
    answer.put("instanceCount", pricing.prices().instanceCount());
    answer.put("hourlyPriceUsd", pricing.prices().hourlyPriceUsd());
    answer.put("timeZone", pricing.zone().getId());
    return answer;
  }

  /**
   * What the page's settings marks compare with: {@code known} (false: no fingerprint, every result's settings
   * unknown), {@code exact} (false: the newest classification's) and the {@code basis} in words.
   */
  private static Map<String, Object> settings(LiveSettings live) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("known", live.fingerprint() != null);
    m.put("exact", live.exact());
    m.put("basis", live.basis());
    return m;
  }

  private static Map<String, Object> row(CostReport.Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date", r.date());
    m.put("endpointHours", r.endpointHours());
    m.put("images", r.images());
    m.put("costUsd", r.costUsd());
    m.put("costPerImageUsd", r.costPerImageUsd());
    m.put("alwaysOnHours", r.alwaysOnHours());
    m.put("alwaysOnCostUsd", r.alwaysOnCostUsd());
    m.put("savedUsd", r.savedUsd());
    m.put("savedPercent", r.savedPercent());
    m.put("serverlessGbSeconds", r.gbSeconds());
    m.put("serverlessCostUsd", r.serverlessCostUsd());
    return m;
  }

  @Override
  public Thumbnail thumbnail(String key) throws UiException {
    String bucket = target.bucket();
    HeadObjectResponse head;
    try {
      head = thumbnailReads.headObject(r -> r.bucket(bucket).key(key));
    } catch (NoSuchKeyException e) {
      throw new UiException(404, "no object " + key + " in " + bucket);
    }
    if (head.contentLength() != null && head.contentLength() > MAX_THUMBNAIL_SOURCE_BYTES) {
      throw new UiException(
          413,
          "the object is " + head.contentLength() + " bytes; thumbnails are made of at most "
              + MAX_THUMBNAIL_SOURCE_BYTES);
    }
    byte[] cached = thumbnails.get(key, head.eTag());
    if (cached != null) {
      return new Thumbnail(cached);
    }
    byte[] image;
    try (ResponseInputStream<GetObjectResponse> object =
        thumbnailReads.getObject(r -> r.bucket(bucket).key(key).ifMatch(head.eTag()))) {
      image = read(object);
    } catch (NoSuchKeyException e) {
      throw new UiException(404, "no object " + key + " in " + bucket);
    } catch (SocketTimeoutException e) {
      // The thumbnails' client cut a source that stopped coming part-way (StackView): a read
      // the page cut, as one cut at its deadline is.
      String words = "S3 stopped sending " + key + " part-way; the page cut the read";
      throw new UiException(
          502, words + ": " + e.getMessage(), new PageDeadline.CutRead(words, e.getMessage()));
    } catch (IOException e) {
      // The connection broke while S3 sent the source (reset, or closed before its length): a
      // read cut short, as a stalled one is, not an answer of the stack that ends its outage.
      String words =
          "the connection to S3 broke while it sent " + key + ", part-way; the read is cut";
      throw new UiException(
          502, words + ": " + e.getMessage(), new PageDeadline.CutRead(words, e.getMessage()));
    }
    try {
      byte[] jpeg = Thumbnails.of(image);
      thumbnails.put(key, head.eTag(), jpeg);
      return new Thumbnail(jpeg);
    } catch (IllegalArgumentException e) {
      throw new UiException(415, e.getMessage());
    } catch (IOException e) {
      throw new UiException(500, "the thumbnail could not be written: " + e.getMessage());
    }
  }

  private static byte[] read(InputStream in) throws IOException, UiException {
    byte[] bytes = in.readNBytes((int) MAX_THUMBNAIL_SOURCE_BYTES + 1);
    if (bytes.length > MAX_THUMBNAIL_SOURCE_BYTES) {
      throw new UiException(
          413, "the object is over " + MAX_THUMBNAIL_SOURCE_BYTES + " bytes; no thumbnail");
    }
    return bytes;
  }

  @Override
  public void upload(String key, byte[] bytes) throws UiException {
    String bucket = target.bucket();
    s3.putObject(
        r -> r.bucket(bucket).key(key).contentType(contentType(key)), RequestBody.fromBytes(bytes));
  }

  @Override
  public Map<String, Object> control(String action) throws UiException {
    if (!ACTIONS.contains(action)) {
      throw new UiException(
          404, "no action " + action + "; the controller knows " + String.join(", ", ACTIONS));
    }
    return controller.apply(action);
  }

  private static String contentType(String key) {
    String name = key.toLowerCase(Locale.ROOT);
    return name.endsWith(".png")
        ? "image/png"
        : name.endsWith(".jpg") || name.endsWith(".jpeg")
            ? "image/jpeg"
            : "application/octet-stream";
  }

  @Override
  public void close() {
    s3.close();
    thumbnailReads.close();
    dynamo.close();
    sqs.close();
  }
}
