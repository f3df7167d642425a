package offhours.chaos;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The uploads of a chaos run, drawn from its seed: valid images under plain and odd keys, overwrites of a key with
 * another image, the same bytes again, deletes before classification (a delete marker, or the version itself), poison
 * (text named .jpg, a truncated JPEG, zero bytes, over the 6 MB limit) and duplicate deliveries of a notification.
 * Every upload is recorded with the version S3 gave it, so the tally knows which versions are valid images.
 */
final class ChaosUploads {

  /** What was put, and what happened to it. */
  enum Kind {
    IMAGE,
    OVERWRITE,
    SAME_BYTES_AGAIN,
    DELETED_KEY,
    DELETED_VERSION,
    TEXT,
    TRUNCATED,
    EMPTY,
    OVERSIZED
  }

  /** One PutObject: its key and version, and whether those bytes are an image the model can read. */
  record Upload(
      int index,
      Kind kind,
      String key,
      String versionId,
      String eTag,
      long size,
      boolean validImage) {}

  /** Keys users really upload, and the ones that break naive pipelines. */
  static final List<String> ODD_NAMES = List.of(
      "holiday photo",
      "ünïcødé 日本語 фото",
      "a+b=c",
      "100% done",
      "<b>markup</b> & \"quotes\" 'here'",
      "tab\there",
      "del\u007fchar",
      "percent%2Bencoded",
      "  spaces  around ",
      "emoji 📷",
      "semi;colon,comma?query#hash",
      "back\\slash");

  private static final Path IMAGES = Path.of("src/demo/images");
  private static final List<String> VALID =
      List.of("chelsea.png", "coffee.png", "horse.png", "rocket.jpg");
  private static final int OVERSIZED_BYTES = 6_500_000; // over InvokeEndpoint's 6,291,456 bytes

  private final S3Client s3;
  private final SqsClient sqs;
  private final String bucket;
  private final String queueUrl;
  private final String prefix;
  private final Random random;
  private final Map<String, byte[]> photos = new LinkedHashMap<>();
  private final byte[] truncated;
  private final ConcurrentLinkedQueue<Upload> done = new ConcurrentLinkedQueue<>();
  private final AtomicInteger renotified = new AtomicInteger();
  private final List<String> failures = new CopyOnWriteArrayList<>();

  ChaosUploads(S3Client s3, SqsClient sqs, String bucket, String queueUrl, String prefix, long seed)
      throws IOException {
    this.s3 = s3;
    this.sqs = sqs;
    this.bucket = bucket;
    this.queueUrl = queueUrl;
    this.prefix = prefix;
    this.random = new Random(seed);
    for (String name : VALID) {
      photos.put(name, Files.readAllBytes(IMAGES.resolve(name)));
    }
    byte[] rocket = photos.get("rocket.jpg");
    this.truncated = Arrays.copyOf(rocket, rocket.length / 3);
  }

  /** One planned upload; drawn up front so that the seed alone decides the run's uploads. */
  private record Plan(int index, Kind kind, String key, String image, boolean renotify) {}

  /** Puts {@code count} uploads evenly over {@code seconds}, 4 at a time; returns when all are done. */
  void run(int count, double seconds) throws InterruptedException {
    List<Plan> plans = plan(count);
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<?>> puts = new ArrayList<>();
      for (Plan p : plans) {
        long at = start + (long) (p.index() * seconds * 1e9 / count);
        long wait = at - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        puts.add(pool.submit(() -> put(p)));
      }
      for (Future<?> f : puts) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          failures.add(e.getCause().toString());
        }
      }
    }
  }

  private List<Plan> plan(int count) {
    List<Plan> plans = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    Map<String, String> imageOfKey = new HashMap<>();
    int oversized = 0;
    for (int i = 0; i < count; i++) {
      int roll = random.nextInt(100);
      Kind kind;
      if (roll < 50 || keys.isEmpty()) {
        kind = Kind.IMAGE;
      } else if (roll < 60) {
        kind = Kind.OVERWRITE;
      } else if (roll < 66) {
        kind = Kind.SAME_BYTES_AGAIN;
      } else if (roll < 72) {
        kind = Kind.DELETED_KEY;
      } else if (roll < 78) {
        kind = Kind.DELETED_VERSION;
      } else if (roll < 85) {
        kind = Kind.TEXT;
      } else if (roll < 91) {
        kind = Kind.TRUNCATED;
      } else if (roll < 97 || oversized >= Math.max(2, count / 150)) {
        kind = Kind.EMPTY;
      } else {
        kind = Kind.OVERSIZED;
        oversized++;
      }
      String image = VALID.get(random.nextInt(VALID.size()));
      String key = switch (kind) {
        case OVERWRITE, SAME_BYTES_AGAIN -> keys.get(random.nextInt(keys.size()));
        default -> newKey(i, kind, image);
      };
      if (kind == Kind.IMAGE) {
        keys.add(key);
        imageOfKey.put(key, image);
      } else if (kind == Kind.SAME_BYTES_AGAIN) {
        image = imageOfKey.get(key);
      } else if (kind == Kind.OVERWRITE) {
        // Another image of the key's type (a .png key stays a PNG).
        String type = imageOfKey.get(key).substring(imageOfKey.get(key).lastIndexOf('.'));
        List<String> sameType = VALID.stream().filter(n -> n.endsWith(type)).toList();
        image = sameType.get(random.nextInt(sameType.size()));
        imageOfKey.put(key, image);
      }
      plans.add(new Plan(i, kind, key, image, kind == Kind.IMAGE && random.nextInt(100) < 8));
    }
    return plans;
  }

  private String newKey(int i, Kind kind, String image) {
    String name =
        random.nextInt(100) < 35 ? ODD_NAMES.get(random.nextInt(ODD_NAMES.size())) : "upload";
    String suffix = switch (kind) {
      case TEXT, TRUNCATED, OVERSIZED -> ".jpg";
      case EMPTY -> ".png";
      default -> image.substring(image.lastIndexOf('.'));
    };
    // Upper-case extensions are images too (the notification lists every case variant).
    if (random.nextInt(100) < 10) {
      suffix = suffix.toUpperCase(Locale.ROOT);
    }
    return prefix + String.format("%05d-", i) + name + suffix;
  }

  private void put(Plan p) {
    byte[] bytes = switch (p.kind()) {
      case TEXT ->
        ("notes, not a photo: upload " + p.index() + "\n").getBytes(StandardCharsets.UTF_8);
      case TRUNCATED -> truncated;
      case EMPTY -> new byte[0];
      case OVERSIZED -> oversized(p.index());
      default -> photos.get(p.image());
    };
    PutObjectResponse put =
        s3.putObject(r -> r.bucket(bucket).key(p.key()), RequestBody.fromBytes(bytes));
    boolean valid = switch (p.kind()) {
      case IMAGE, OVERWRITE, SAME_BYTES_AGAIN, DELETED_KEY, DELETED_VERSION -> true;
      default -> false;
    };
    Upload upload = new Upload(
        p.index(),
        p.kind(),
        p.key(),
        put.versionId(),
        stripQuotes(put.eTag()),
        bytes.length,
        valid);
    if (p.kind() == Kind.DELETED_KEY) {
      s3.deleteObject(r -> r.bucket(bucket).key(p.key())); // a delete marker; the version stays
    } else if (p.kind() == Kind.DELETED_VERSION) {
      s3.deleteObject(
          r -> r.bucket(bucket).key(p.key()).versionId(put.versionId())); // gone for good
    }
    done.add(upload);
    if (p.renotify()) {
      // S3 delivers notifications at least once: the same event again, as S3 would resend it.
      sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(notification(upload)));
      renotified.incrementAndGet();
    }
  }

  /**
   * One more notification of an upload already made, as S3 may deliver one twice: the queue then holds an upload to
   * take (the controller's backlog). Nothing when no upload is done yet.
   */
  void renotifyOne() {
    Upload upload = done.peek();
    if (upload != null) {
      sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(notification(upload)));
      renotified.incrementAndGet();
    }
  }

  private byte[] oversized(int index) {
    byte[] bytes = new byte[OVERSIZED_BYTES];
    new Random(index).nextBytes(bytes);
    return bytes;
  }

  /**
   * The notification of {@code u} once more, as the local S3 (moto_server) shaped the first one: URL-encoded key ('+'
   * for space), size and ETag, and no versionId or sequencer (moto sends neither), so the duplicate names the same
   * object version as the original delivery.
   */
  String notification(Upload u) {
    String encoded = URLEncoder.encode(u.key(), StandardCharsets.UTF_8);
    return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
        + "\"eventTime\":\"" + Instant.now() + "\",\"eventName\":\"ObjectCreated:Put\","
        + "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"bucket\":{\"name\":\"" + bucket
        + "\",\"arn\":\"arn:aws:s3:::" + bucket
        + "\"},\"object\":{\"key\":\"" + encoded + "\",\"size\":" + u.size() + ",\"eTag\":\""
        + u.eTag() + "\"}}}]}";
  }

  private static String stripQuotes(String eTag) {
    return eTag == null ? null : eTag.replace("\"", "");
  }

  List<Upload> uploads() {
    return List.copyOf(done);
  }

  int renotified() {
    return renotified.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }
}
