package offhours.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@code offhours upload} will upload: each file with its key, and what it leaves out.
 *
 * <p>A named file is uploaded under its file name; a folder's files under their path relative to the
 * folder, with '/' separators. Keys keep spaces, '+', '%' and unicode exactly as the file names have
 * them: S3 stores any UTF-8 key, and the pipeline decodes the URL-encoded keys of S3 notifications.
 * Inside folders only images (.jpg, .jpeg, .png in any case) are taken unless {@code all}; hidden
 * files and folders are always left out there.
 */
record UploadPlan(List<Item> items, List<Path> skipped) {

  record Item(Path file, String key, long bytes) {}

  UploadPlan {
    items = List.copyOf(items);
    skipped = List.copyOf(skipped);
  }

  static UploadPlan of(List<String> paths, String prefix, boolean all) throws IOException {
    String keyPrefix = normalizePrefix(prefix);
    for (String path : paths) {
      if (!Files.exists(Path.of(path))) {
        throw CliException.usage("no such file or folder: " + path);
      }
    }
    Map<String, Item> byKey = new LinkedHashMap<>();
    List<Path> skipped = new ArrayList<>();
    for (String name : paths) {
      Path path = Path.of(name);
      if (Files.isDirectory(path)) {
        for (Path file : filesUnder(path)) {
          if (isHidden(path.relativize(file)) || !(all || isImage(file))) {
            skipped.add(file);
          } else {
            add(byKey, new Item(file, keyPrefix + key(path.relativize(file)), Files.size(file)));
          }
        }
      } else {
        add(byKey, new Item(path, keyPrefix + path.getFileName(), Files.size(path)));
      }
    }
    List<Item> items = new ArrayList<>(byKey.values());
    items.sort(Comparator.comparing(Item::key));
    return new UploadPlan(items, skipped);
  }

  long totalBytes() {
    return items.stream().mapToLong(Item::bytes).sum();
  }

  static boolean isImage(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png");
  }

  /** "" stays ""; "incoming" and "/incoming/" become "incoming/". */
  static String normalizePrefix(String prefix) {
    String stripped = prefix == null ? "" : prefix.replaceFirst("^/+", "");
    return stripped.isEmpty() || stripped.endsWith("/") ? stripped : stripped + "/";
  }

  private static List<Path> filesUnder(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
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
    if (previous != null && !previous.file().toAbsolutePath().normalize().equals(item.file().toAbsolutePath().normalize())) {
      throw CliException.usage(previous.file() + " and " + item.file() + " would both be uploaded as '" + item.key()
          + "'; upload them separately with different --prefix values");
    }
  }
}
