package offhours.local.auth;

import com.sun.net.httpserver.Headers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Signature Version 4 of a received request, computed as every AWS client computes it
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html): canonical request
 * over exactly the headers the client listed in SignedHeaders, string to sign, HMAC-SHA256 key derivation.
 *
 * <p>Not the SDK's own signer: it always adds and signs {@code x-amz-content-sha256}, which the SDK's clients send
 * but the AWS CLI's botocore does not, so it could not recompute a botocore signature.
 */
final class SigV4Signature {
  static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  private SigV4Signature() {}

  /**
   * The hex signature of a request as received: its raw (still percent-encoded) path and query, its headers, the
   * header names the client signed (lower case, in its order) and its body.
   */
  static String compute(
      String method,
      String rawPath,
      String rawQuery,
      Headers headers,
      List<String> signedHeaders,
      byte[] body,
      String secretKey,
      Instant signedAt,
      String region,
      String service) {
    StringBuilder canonical = new StringBuilder()
        .append(method)
        .append('\n')
        .append(canonicalPath(rawPath))
        .append('\n')
        .append(canonicalQuery(rawQuery))
        .append('\n');
    for (String name : signedHeaders) {
      List<String> values = headers.get(name);
      List<String> trimmed = new ArrayList<>();
      if (values != null) {
        values.forEach(v -> trimmed.add(v.strip().replaceAll(" +", " ")));
      }
      canonical.append(name).append(':').append(String.join(",", trimmed)).append('\n');
    }
    canonical
        .append('\n')
        .append(String.join(";", signedHeaders))
        .append('\n')
        .append(HEX.formatHex(sha256(body)));

    String date = AMZ_DATE.format(signedAt);
    String scope = date.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
    String stringToSign = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n"
        + HEX.formatHex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date.substring(0, 8));
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    return HEX.formatHex(hmac(key, stringToSign));
  }

  /**
   * The canonical path of a request to any service but S3, by AWS's rule ("Create a canonical request" in
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html): the path normalized as
   * RFC 3986 reads it, without its empty, '.' and '..' segments (a '..' at the root goes nowhere), ending in '/' only
   * when the path does, then each segment, its escapes as sent, encoded once more ("double encoding"). So
   * {@code //example//} is {@code /example/}, and {@code /example/..} and {@code /./} are {@code /}, as in AWS's
   * SigV4 test suite. A path that ends in a '.' or '..' segment below the root is {@link #unsettledPath}'s.
   */
  static String canonicalPath(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    Deque<String> kept = new ArrayDeque<>();
    for (String segment : rawPath.split("/", -1)) {
      switch (segment) {
        case "", "." -> {}
        case ".." -> kept.pollLast();
        default -> kept.addLast(encode(segment));
      }
    }
    String path = "/" + String.join("/", kept);
    return rawPath.endsWith("/") && !kept.isEmpty() ? path + "/" : path;
  }

  /**
   * Why AWS's rule does not settle the canonical form of {@code rawPath}, or null: a path whose last segment is '.' or
   * '..' and which is not the root once normalized ({@code /results/a/b/..}). RFC 3986, which the rule names, keeps its
   * trailing '/' ({@code /results/a/}); AWS's own signers drop it (the SDK for Java's {@code AwsV4HttpSigner},
   * botocore's {@code remove_dot_segments}), and what AWS checks such a path against is not documented, so it is
   * refused whichever way it was signed.
   */
  static String unsettledPath(String rawPath) {
    if (rawPath == null || !(rawPath.endsWith("/.") || rawPath.endsWith("/.."))) {
      return null;
    }
    if (canonicalPath(rawPath).equals("/")) {
      return null;
    }
    return "the path ends in a '.' or '..' segment, whose canonical form AWS's rule does not settle (RFC 3986"
        + " keeps a '/' at its end, AWS's SDK for Java and botocore drop it); send the path without it";
  }

  /** Parameters decoded, then each name and value encoded strictly and sorted by name, then value. */
  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<Map.Entry<String, String>> params = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.add(Map.entry(encode(name), encode(value)));
    }
    params.sort(
        Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
    List<String> joined = new ArrayList<>();
    params.forEach(p -> joined.add(p.getKey() + "=" + p.getValue()));
    return String.join("&", joined);
  }

  /** RFC 3986 percent-encoding of everything but the unreserved characters, as SigV4 requires. */
  private static String encode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c >= 'A' && c <= 'Z'
          || c >= 'a' && c <= 'z'
          || c >= '0' && c <= '9'
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /**
   * Percent-decoding only: a '+' is a plus, %2B in the canonical query. AWS's rule encodes a space as %20, "not as
   * '+'", and says no more of a '+' a request sends; S3 was found to check it as a plus (curl/curl#20543, where curl
   * had signed it as a space). The SDK for Java's signer reads a '+' in a URI it is handed as a space (its request
   * builder form-decodes the query), but the SDK's clients never send one: a plus goes as %2B, a space as %20. So a
   * request whose signature took its '+' for a space is refused, as is one whose signature kept it unencoded (curl
   * before 8.3, which signs the query as typed).
   */
  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has HmacSHA256", e);
    }
  }
}
