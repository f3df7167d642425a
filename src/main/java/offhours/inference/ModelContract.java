package offhours.inference;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import offhours.results.ResultsTable;
import offhours.units.Shown;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * How offhours talks to the model, shared by the Classify function and the controller's readiness probe: what it
 * sends (content type, accept, an inference component) and how it reads the answer (class names, scores).
 * Read once from the environment (names in CONTRACTS.md).
 *
 * @param labels class names in the model's output order; empty when they come from {@code labelsS3Uri}, or when
 *     the model's answers name their classes
 * @param labelsS3Uri "s3://bucket/key" of a text file with one label per line, or null
 * @param contentType {@value #X_IMAGE} (the built-in algorithm's), {@value #AUTO} (image/jpeg or image/png from
 *     the image's magic bytes: the Hugging Face toolkit refuses application/x-image), or any fixed media type
 * @param accept the Accept header, e.g. application/json, or application/json;verbose for JumpStart's labels
 * @param scores what the numbers in the answer are
 * @param inferenceComponentName the component to invoke on an endpoint that hosts components, or null
 */
public record ModelContract(
    List<String> labels,
    String labelsS3Uri,
    String contentType,
    String accept,
    Scores scores,
    String inferenceComponentName) {

  public static final String X_IMAGE = "application/x-image";
  private static final String AUTO = "auto";
  public static final String JSON = "application/json";

  /**
   * A media type with optional parameters, and nothing a header cannot carry (no CR, LF or other controls); the
   * template's ContentType and Accept parameters use the same pattern.
   */
  private static final Pattern MEDIA_TYPE = Pattern.compile(
      "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9*][A-Za-z0-9!#$&^_.+*-]*(\\s*;[ -~]*)?");

  /**
   * The longest CONTENT_TYPE and ACCEPT, in characters: the template's ContentType and Accept take at most as many
   * (MaxLength, ParameterConstraintsTest), as Lambda's 4 KB of environment per function is shared with the other
   * free-text parameters (DeployLimitsTest); local mode's --content-type and --accept are read here too.
   */
  public static final int MAX_MEDIA_TYPE_LENGTH = 64;

  private static final Pattern S3_URI = Pattern.compile("s3://[^/]+/.+");
  /** How much of a class name that is too long its error quotes. */
  private static final int QUOTED_CODE_POINTS = 40;
  /** SageMaker's pattern for resource names (InferenceComponentName). */
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");

  public ModelContract {
    labels = labels == null ? List.of() : List.copyOf(labels);
    labelsS3Uri = labelsS3Uri == null || labelsS3Uri.isBlank() ? null : labelsS3Uri.strip();
    contentType = contentType == null || contentType.isBlank() ? X_IMAGE : contentType.strip();
    accept = accept == null || accept.isBlank() ? JSON : accept.strip();
    scores = scores == null ? Scores.AUTO : scores;
    inferenceComponentName = inferenceComponentName == null || inferenceComponentName.isBlank()
        ? null
        : inferenceComponentName.strip();
    if (labels.isEmpty() && labelsS3Uri != null && !S3_URI.matcher(labelsS3Uri).matches()) {
      throw new IllegalArgumentException(
          "LABELS_S3_URI must look like s3://bucket/key, got '" + Shown.value(labelsS3Uri) + "'");
    }
    if (labels.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(
          "LABELS has an empty class name: " + Shown.value(labels.toString()));
    }
    checkNames(
        labelsS3Uri == null ? "LABELS" : "LABELS_S3_URI " + Shown.value(labelsS3Uri), labels);
    refuseLong("CONTENT_TYPE", contentType);
    refuseLong("ACCEPT", accept);
    if (!contentType.equals(AUTO) && !MEDIA_TYPE.matcher(contentType).matches()) {
      throw new IllegalArgumentException("CONTENT_TYPE must be " + X_IMAGE + ", " + AUTO
          + " (image/jpeg or image/png from the image) or a media type like image/jpeg, got '"
          + Shown.value(contentType) + "'");
    }
    if (!MEDIA_TYPE.matcher(accept).matches()) {
      throw new IllegalArgumentException(
          "ACCEPT must be a media type like application/json or application/json;verbose, got '"
              + Shown.value(accept) + "'");
    }
    if (inferenceComponentName != null && !NAME.matcher(inferenceComponentName).matches()) {
      throw new IllegalArgumentException(
          "an inference component's name is a SageMaker resource name (letters,"
              + " digits and hyphens, at most 63), got '"
              + Shown.value(inferenceComponentName) + "'");
    }
  }

  private static void refuseLong(String setting, String value) {
    int length = value.codePointCount(0, value.length());
    if (length > MAX_MEDIA_TYPE_LENGTH) {
      throw new IllegalArgumentException(setting + " must be at most " + MAX_MEDIA_TYPE_LENGTH
          + " characters, got " + length + ": '" + Shown.value(value) + "'");
    }
  }

  /**
   * What is wrong with class name {@code name} when it is longer than a result may store, or null. A result's top label
   * is the partition key of the results table's byLabel index, at most {@value ResultsTable#MAX_PARTITION_KEY_BYTES}
   * bytes of UTF-8, and DynamoDB rejects the whole write of an item whose index key is longer
   * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.OnlineOps.ViolationDetection.html): the
   * image would be retried into the DLQ without a result. The bound also keeps a result of TopK (at most 100) such
   * names within DynamoDB's 400 KB item. Only the name's start is quoted.
   */
  static String tooLong(String name) {
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes <= ResultsTable.MAX_PARTITION_KEY_BYTES) {
      return null;
    }
    // Its start escaped as any quoted name's: this check comes before the control characters'.
    return "of " + bytes + " bytes (UTF-8), beginning '" + visible(name)
        + "': offhours keeps class names of at most " + ResultsTable.MAX_PARTITION_KEY_BYTES
        + " bytes, the most DynamoDB takes as the key of the results' label index";
  }

  /**
   * What is wrong with class name {@code name} when it has a character no label may have, or null: a control character
   * (U+0000-U+001F, U+007F-U+009F) or a lone surrogate (half of a UTF-16 pair, which is no character and which UTF-8
   * cannot encode: the SDK would store it in DynamoDB as '?', a label other than the one the index is asked for).
   * Labels are stored in the results table, are the key of its label index, and are printed by the CLI and shown on
   * the page; a tab, a line feed or an ESC in one is a label no one can type back or read. The name is quoted with
   * such characters escaped (a backslash, u and four hex digits), and only its start; the position counts characters
   * (code points) from 0.
   */
  static String unshowable(String name) {
    int at = 0;
    for (int i = 0; i < name.length(); at++) {
      int c = name.codePointAt(i);
      if (Character.isISOControl(c) || lone(c)) {
        return "with " + (lone(c) ? "a lone surrogate" : "a control character") + ", " + escaped(c)
            + ", at character " + at + ": '" + visible(name) + "'";
      }
      i += Character.charCount(c);
    }
    return null;
  }

  /** The start of {@code name} with every control character and lone surrogate escaped. */
  private static String visible(String name) {
    StringBuilder out = new StringBuilder();
    int shown = 0;
    for (int i = 0; i < name.length(); shown++) {
      if (shown == QUOTED_CODE_POINTS) {
        return out.append("...").toString();
      }
      int c = name.codePointAt(i);
      if (Character.isISOControl(c) || lone(c)) {
        out.append(escaped(c));
      } else {
        // A character that reorders the text after it (U+202E) is kept in a label, but shown as
        // Shown shows it.
        out.append(Shown.escaped(Character.toString(c)));
      }
      i += Character.charCount(c);
    }
    return out.toString();
  }

  /** A code point that is half of a UTF-16 pair: codePointAt returns one only when its other half is missing. */
  private static boolean lone(int c) {
    return c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE;
  }

  private static String escaped(int c) {
    return String.format(Locale.ROOT, "\\u%04x", c);
  }

  /**
   * Refuses a class name of {@code labels} that is too long or holds a character a terminal or a page could not show,
   * saying which and naming where the names came from ({@code source}: "LABELS", "labels file 'F'").
   */
  public static void checkNames(String source, List<String> labels) {
    for (int i = 0; i < labels.size(); i++) {
      String tooLong = tooLong(labels.get(i));
      if (tooLong != null) {
        throw new IllegalArgumentException(source + " has a class name " + tooLong);
      }
      String unshowable = unshowable(labels.get(i));
      if (unshowable != null) {
        throw new IllegalArgumentException(source + " has a class name at index " + i
            + " (counting from 0, in the model's output order) " + unshowable);
      }
    }
  }

  /** The built-in image-classification contract with these class names. */
  public static ModelContract builtIn(List<String> labels) {
    return new ModelContract(labels, null, X_IMAGE, JSON, Scores.AUTO, null);
  }

  /**
   * Reads LABELS, LABELS_S3_URI, CONTENT_TYPE, ACCEPT, SCORES and INFERENCE_COMPONENT_NAME; LABELS wins over
   * LABELS_S3_URI when both are set. Neither set is fine for a model whose answers name their classes.
   * INFERENCE_COMPONENT_NAME is set (by the stack, or local mode) only with HOSTING scale-to-zero; the controller,
   * which knows the hosting, checks that the two agree.
   */
  public static ModelContract fromEnv(Map<String, String> env) {
    List<String> labels = parseLabels(env.get("LABELS"));
    String scores = env.get("SCORES");
    return new ModelContract(
        labels,
        labels.isEmpty() ? env.get("LABELS_S3_URI") : null,
        env.get("CONTENT_TYPE"),
        env.get("ACCEPT"),
        scores == null || scores.isBlank() ? Scores.AUTO : Scores.parse(scores, "SCORES"),
        env.get("INFERENCE_COMPONENT_NAME"));
  }

  /** Where the class names come from, for error messages. */
  public String labelSource() {
    if (labelsS3Uri != null) {
      return "LABELS_S3_URI " + Shown.value(labelsS3Uri);
    }
    return labels.isEmpty() ? "no labels configured" : "LABELS";
  }

  /**
   * A short name for what this contract makes of the model's answers: the first 12 hex digits of SHA-256 over the
   * class names (as configured, in order, each as it was parsed), the content type, the accept header and the scores
   * setting. Each result records it, so a result written under other settings of the same model (a corrected label
   * list changes what every stored label means) can be told from a current one. Neither where the labels come from
   * (LABELS or a file) nor the inference component count: the same names in the same order read the same answers.
   * The canonical form prefixes each part with its length, so no two settings share it; it is the same in every JVM.
   * Call it on the contract whose labels are resolved ({@link #resolveLabels}), once at init.
   */
  public String settingsFingerprint() {
    StringBuilder canonical = new StringBuilder("offhours-settings-1");
    part(canonical, contentType);
    part(canonical, accept);
    part(canonical, scores.word());
    canonical.append('|').append(labels.size());
    labels.forEach(label -> part(canonical, label));
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, SETTINGS_BYTES);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** 6 bytes: 12 hex digits, one chance in 2^48 that two different settings share a name. */
  private static final int SETTINGS_BYTES = 6;

  private static void part(StringBuilder canonical, String value) {
    canonical.append('|').append(value.length()).append(':').append(value);
  }

  /** The Content-Type for {@code image}: the fixed setting, or with {@value #AUTO} the image's own type. */
  public String contentTypeFor(byte[] image) {
    if (!contentType.equals(AUTO)) {
      return contentType;
    }
    ImageFormat format = ImageFormat.of(image);
    if (format == null) {
      throw new IllegalArgumentException(
          "CONTENT_TYPE auto needs a JPEG or PNG, got " + ImageFormat.describe(image));
    }
    return format.mediaType();
  }

  /** The same contract with the class names read from LABELS_S3_URI, once at init; as it is without a file. */
  public ModelContract resolveLabels(S3Client s3) {
    if (!labels.isEmpty() || labelsS3Uri == null) {
      return this;
    }
    String path = labelsS3Uri.substring("s3://".length());
    String bucket = path.substring(0, path.indexOf('/'));
    String key = path.substring(path.indexOf('/') + 1);
    List<String> resolved;
    try {
      resolved =
          parseLabelFile(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
    } catch (S3Exception e) {
      String bucketRegion = WrongRegion.bucketRegion(e);
      if (bucketRegion != null) {
        String stackRegion = s3.serviceClientConfiguration().region().id();
        throw new IllegalStateException(
            "LABELS_S3_URI " + Shown.value(labelsS3Uri) + " is in a bucket of "
                + (bucketRegion.isEmpty() ? "another Region" : "the Region " + bucketRegion)
                + " (S3 answered " + answer(e)
                + "), and the functions read it through S3 of the stack's Region " + stackRegion
                + " only: copy the file to a bucket in " + stackRegion
                + " and set LabelsS3Uri to its s3:// URI",
            e);
      }
      String kmsKey = KmsDenial.key(e);
      if (kmsKey == null) {
        throw e;
      }
      throw new IllegalStateException(
          "LABELS_S3_URI " + Shown.value(labelsS3Uri) + " is encrypted with "
              + KmsDenial.named(kmsKey)
              + ", which this function may not use (kms:Decrypt denied): the stack's roles may decrypt"
              + " through S3 with keys of its account whose key policy lets IAM policies grant their use;"
              + " allow the function's role in that key's policy, or store the file without that key",
          e);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "LABELS_S3_URI " + Shown.value(labelsS3Uri)
              + " is not UTF-8 text (a byte no UTF-8 character has); save it as UTF-8, one label per line");
    }
    if (resolved.isEmpty()) {
      throw new IllegalArgumentException(
          "LABELS_S3_URI " + Shown.value(labelsS3Uri) + " holds no labels (expected one per line)");
    }
    return new ModelContract(
        resolved, labelsS3Uri, contentType, accept, scores, inferenceComponentName);
  }

  /** S3's status and error code as a message shows them, e.g. "301 PermanentRedirect". */
  private static String answer(S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return e.statusCode() + (code == null ? "" : " " + Shown.value(code));
  }

  /** LABELS: comma-separated; blanks around names are ignored. */
  public static List<String> parseLabels(String text) {
    return split(text, ",");
  }

  /**
   * The one reader of a labels file, the stack's LABELS_S3_URI and local mode's --labels FILE alike, so one file gives
   * the same labels in both: UTF-8 (a byte no UTF-8 character has is refused, never read as U+FFFD), one label per
   * line as {@link #parseLabelLines} splits them. One byte order mark (U+FEFF) at the start of the file is skipped:
   * Windows editors write it (Notepad's "UTF-8 with BOM"), Java's decoder keeps it, and it is neither a blank nor a
   * control character, so it would stay, unseen, at the start of the first label: results labelled "cat" that a search
   * for cat never finds. Only the first is skipped: a second one is in the label, as any other character is.
   *
   * @throws CharacterCodingException when {@code file} is not UTF-8
   */
  public static List<String> parseLabelFile(byte[] file) throws CharacterCodingException {
    String text =
        StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(file)).toString();
    return parseLabelLines(text.startsWith(BYTE_ORDER_MARK) ? text.substring(1) : text);
  }

  /** U+FEFF at the start of a file: the byte order mark, EF BB BF in UTF-8. */
  private static final String BYTE_ORDER_MARK = "\uFEFF";

  /**
   * A labels file's text: one label per line, a line ending in LF or CRLF; blanks around a label and blank lines are
   * ignored. A lone CR (classic Mac OS) ends no line: it stays in the label, where the check of control characters
   * refuses it, rather than split a file one way here and another in an editor.
   */
  public static List<String> parseLabelLines(String text) {
    return split(text, "\r?\n");
  }

  private static List<String> split(String text, String separator) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return Arrays.stream(text.split(separator))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
