package offhours.ui;

import java.util.LinkedHashMap;
import java.util.Map;

/** The most recently used thumbnails, by key and ETag (a new version of an object gets a new thumbnail). */
final class ThumbnailCache {

  private final Map<String, byte[]> entries;

  ThumbnailCache(int capacity) {
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized byte[] get(String key, String eTag) {
    return entries.get(key + "\n" + eTag);
  }

  synchronized void put(String key, String eTag, byte[] jpeg) {
    entries.put(key + "\n" + eTag, jpeg);
  }
}
