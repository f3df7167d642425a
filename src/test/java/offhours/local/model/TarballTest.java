package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarballTest {
  private static final String MODEL = "package/dist/models/mobilenet_v2/";

  @Test
  void extractsOnlyTheWantedFiles(@TempDir Path dir) throws IOException {
    Path tgz = tgz(
        dir,
        entry(MODEL + "model.min.js", "model"),
        entry("package/README.md", "readme"),
        entry(MODEL + "group1-shard1of1.min.js", "x".repeat(700)));
    Path out = dir.resolve("out");

    Tarball.extract(tgz, out, List.of(MODEL));

    assertThat(out.resolve(MODEL + "model.min.js")).hasContent("model");
    assertThat(out.resolve(MODEL + "group1-shard1of1.min.js")).hasContent("x".repeat(700));
    assertThat(out.resolve("package/README.md")).doesNotExist();
  }

  @Test
  void refusesEntriesThatEscapeTheTarget(@TempDir Path dir) throws IOException {
    Path tgz = tgz(dir, entry(MODEL + "../../../../../evil.js", "boom"));
    assertThatThrownBy(() -> Tarball.extract(tgz, dir.resolve("out"), List.of(MODEL)))
        .hasMessage(tgz + " has an entry outside its root: " + MODEL + "../../../../../evil.js");
    assertThat(dir.resolve("evil.js")).doesNotExist();
  }

  private static byte[] entry(String name, String content) {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    byte[] header = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(n, 0, header, 0, n.length);
    byte[] size = String.format("%011o", data.length).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(size, 0, header, 124, size.length);
    header[156] = '0';
    var out = new ByteArrayOutputStream();
    out.writeBytes(header);
    out.writeBytes(data);
    out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    return out.toByteArray();
  }

  private static Path tgz(Path dir, byte[]... entries) throws IOException {
    Path file = dir.resolve("p.tgz");
    try (var gz = new GZIPOutputStream(Files.newOutputStream(file))) {
      for (byte[] e : entries) {
        gz.write(e);
      }
      gz.write(new byte[1024]);
    }
    return file;
  }
}
