package offhours.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import offhours.stack.StackSpec;
import offhours.units.Plurals;

/**
 * What {@code offhours upload} will upload: each file with its key, and what it leaves out and why.
 *
 * <p>A named file is uploaded under its file name; a folder's files under their path relative to the folder,
 * with '/' separators. Keys keep spaces, '+', '%' and unicode exactly as the file names have them: S3 stores any
 * UTF-8 key, and the pipeline decodes the URL-encoded keys of S3 notifications.
 *
 * <p>Only keys the bucket's notification covers ({@link StackSpec.Notification#matches}: .jpg, .jpeg, .png in any
 * case) are uploaded, since nothing else would ever get a result: a named file that is not one is refused before
 * anything is uploaded, a folder's are skipped and counted. Symbolic links are never followed (a named link is
 * refused, a folder's are skipped), so an upload takes only what lies in the named folders; hidden files and
 * folders inside a folder are skipped too.
 */
record UploadPlan(List<Item> items, List<Skipped> skipped) {

  record Item(Path file, String key, long bytes) {}

  /** Why a file inside a named folder was left out, as read after a count: "1 hidden", "2 symbolic links". */
  enum Reason {
    NO_RESULT(
        "not " + extensions() + " (would never get a result)",
        "not " + extensions() + " (would never get a result)"),
    HIDDEN("hidden", "hidden"),
    LINK("symbolic link (not followed)", "symbolic links (not followed)"),
    SPECIAL("not a regular file", "not regular files");

    private final String one;
    private final String many;

    Reason(String one, String many) {
      this.one = one;
      this.many = many;
    }

    String counted(long count) {
      return Plurals.of(count, one, many);
    }
  }

  record Skipped(Path file, Reason reason) {}

  UploadPlan {
    items = List.copyOf(items);
    skipped = List.copyOf(skipped);
  }

  static UploadPlan of(List<String> paths, String prefix) throws IOException {
    String keyPrefix = normalizePrefix(prefix);
    List<String> refused = new ArrayList<>();
    for (String name : paths) {
      if (name.isEmpty()) {
        // An unset variable ("$DIR"): as a path it is the current folder, uploaded whole.
        throw CliException.usage("an empty path names no file or folder (an unset variable?)");
      }
      Path path = Path.of(name);
      if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        throw CliException.usage("no such file or folder: " + name);
      }
      if (Files.isSymbolicLink(path)) {
        throw CliException.usage(
            name + " is a symbolic link, and upload does not follow links; name what it points"
                + " to instead: " + Files.readSymbolicLink(path));
      }
      if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
          throw CliException.usage(name + " is not a regular file");
        }
        if (!StackSpec.NOTIFICATION.matches(keyPrefix + path.getFileName())) {
          refused.add(name);
        }
      }
    }
    if (!refused.isEmpty()) {
      throw CliException.usage(
          String.join(", ", refused) + (refused.size() == 1 ? " would" : " would each")
              + " never get a result: the bucket tells the pipeline only of keys ending in "
              + extensions()
              + " (in any case); leave " + (refused.size() == 1 ? "it" : "them") + " out");
    }
    Map<String, Item> byKey = new LinkedHashMap<>();
    List<Skipped> skipped = new ArrayList<>();
    for (String name : paths) {
      Path path = Path.of(name);
      if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        add(byKey, new Item(path, keyPrefix + path.getFileName(), Files.size(path)));
        continue;
      }
      for (Path file : entriesUnder(path)) {
        Path relative = path.relativize(file);
        String key = keyPrefix + key(relative);
        Reason reason = Files.isSymbolicLink(file)
            ? Reason.LINK
            : isHidden(relative)
                ? Reason.HIDDEN
                : !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    ? Reason.SPECIAL
                    : !StackSpec.NOTIFICATION.matches(key) ? Reason.NO_RESULT : null;
        if (reason != null) {
          skipped.add(new Skipped(file, reason));
        } else {
          add(byKey, new Item(file, key, Files.size(file)));
        }
      }
    }
    List<Item> items = new ArrayList<>(byKey.values());
    items.sort(Comparator.comparing(Item::key));
    List<Item> tooLong = items.stream()
        .filter(
            item -> item.key().getBytes(StandardCharsets.UTF_8).length > StackSpec.MAX_KEY_BYTES)
        .toList();
    if (!tooLong.isEmpty()) {
      // S3 refuses such a PUT (KeyTooLongError) after the files before it are uploaded; moto stores
      // it.
      Item first = tooLong.getFirst();
      throw CliException.usage("the key of " + first.file() + " would be "
          + first.key().getBytes(StandardCharsets.UTF_8).length + " bytes (UTF-8), over S3's "
          + StackSpec.MAX_KEY_BYTES
          + (tooLong.size() > 1 ? " (so would " + (tooLong.size() - 1) + " more)" : "")
          + "; the --prefix and the path under the folder count too: shorten them");
    }
    return new UploadPlan(items, skipped);
  }

  long totalBytes() {
    return items.stream().mapToLong(Item::bytes).sum();
  }

  /**
   * The key prefix {@code --prefix} names, as a folder: "" stays "", "incoming" becomes "incoming/", and every
   * segment that reads as a path's but names nothing in a bucket is dropped, all alike: "/incoming", "a//b" and
   * "../incoming" become "incoming/", "a/b/" and "incoming/". S3 would store them as given, but a key starting with
   * '/' shows in S3's console under a folder with no name, and a bucket has no root or parent folder for '/' or
   * '..' to mean; {@link #prefixNote} says what it became.
   */
  static String normalizePrefix(String prefix) {
    StringBuilder folder = new StringBuilder();
    for (String segment : (prefix == null ? "" : prefix).split("/")) {
      if (!segment.isEmpty() && !segment.equals(".") && !segment.equals("..")) {
        folder.append(segment).append('/');
      }
    }
    return folder.toString();
  }

  /** The note saying what {@code --prefix} became, when more than a '/' at its end was added; empty otherwise. */
  static Optional<String> prefixNote(String prefix) {
    String folder = normalizePrefix(prefix);
    if (prefix == null || folder.equals(prefix) || folder.equals(prefix + "/")) {
      return Optional.empty();
    }
    return Optional.of("note: --prefix '" + prefix + "' became the key prefix "
        + (folder.isEmpty() ? "'' (none)" : "'" + folder + "'")
        + ": a prefix names a folder in the bucket, which has no root or parent, so '/' at the start,"
        + " empty segments ('//'), '.' and '..' are dropped");
  }

  /** Everything under {@code folder} but folders themselves; Files.walk does not follow links. */
  private static List<Path> entriesUnder(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .sorted()
          .toList();
    }
  }

  private static boolean isHidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String key(Path relative) {
    List<String> parts = new ArrayList<>();
    relative.forEach(p -> parts.add(p.toString()));
    return String.join("/", parts);
  }

  private static void add(Map<String, Item> byKey, Item item) {
    Item previous = byKey.putIfAbsent(item.key(), item);
    if (previous != null
        && !previous
            .file()
            .toAbsolutePath()
            .normalize()
            .equals(item.file().toAbsolutePath().normalize())) {
      throw CliException.usage(
          previous.file() + " and " + item.file() + " would both be uploaded as '" + item.key()
              + "'; upload them separately with different --prefix values");
    }
  }

  /** {@link StackSpec#IMAGE_EXTENSIONS} as a sentence says them: ".jpg, .jpeg or .png". */
  private static String extensions() {
    return Plurals.either(StackSpec.IMAGE_EXTENSIONS);
  }
}
