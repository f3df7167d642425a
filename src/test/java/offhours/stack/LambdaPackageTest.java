package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LambdaPackageTest {

  @Test
  void readsClassEntriesAndDescriptorTypesFromTheConstantPool() throws IOException {
    var refs = LambdaPackage.ClassReferences.of(classBytes(StackSpec.class));

    assertThat(refs)
        .contains(
            "java/util/ArrayList",
            "offhours/stack/StackSpec$Queue",
            "offhours/stack/StackSpec$Notification",
            "java/lang/String");
    assertThat(refs).noneMatch(r -> r.startsWith("L") && r.endsWith(";"));
  }

  @Test
  void rejectsBytesThatAreNotAClassFile() {
    assertThatThrownBy(
            () -> LambdaPackage.ClassReferences.of(new byte[] {1, 2, 3, 4, 0, 0, 0, 0, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a class file (bad magic number)");
  }

  @Test
  void reportsClassesAnOwnClassNeedsButThePackageLacks(@TempDir Path dir) throws IOException {
    Path zip = dir.resolve("partial.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("offhours/stack/StackSpec.class"));
      out.write(classBytes(StackSpec.class));
      out.closeEntry();
    }

    LambdaPackage p = LambdaPackage.read(zip);

    assertThat(p.unresolvedReferences()).containsOnlyKeys("offhours/stack/StackSpec.class");
    assertThat(p.unresolvedReferences().get("offhours/stack/StackSpec.class"))
        .contains("offhours/stack/StackSpec$Queue")
        .doesNotContain("java/lang/String");
  }

  @Test
  void aMissingZipSaysHowToBuildIt(@TempDir Path dir) {
    assertThatThrownBy(() -> LambdaPackage.read(dir.resolve("classify.zip")))
        .isInstanceOf(IOException.class)
        .hasMessageEndingWith("does not exist; build it with: mvn package");
  }

  private static byte[] classBytes(Class<?> type) throws IOException {
    try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
      return in.readAllBytes();
    }
  }
}
