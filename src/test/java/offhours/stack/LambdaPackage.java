package offhours.stack;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import offhours.testing.LambdaZip;

/**
 * A Lambda zip as the runtime sees it: classes at the root, jars under {@code lib/}. Reads every entry, including
 * the entries of the nested jars, so tests can ask what the function really carries.
 */
final class LambdaPackage {

  final Path zip;
  /** Top-level entry name -> size. */
  final Map<String, Long> entries = new TreeMap<>();
  /** Every class resource (top level and inside lib/*.jar), e.g. {@code software/amazon/awssdk/core/SdkBytes.class}. */
  final Set<String> classes = new TreeSet<>();
  /** Native libraries (top level and inside lib/*.jar), which would tie the package to one architecture. */
  final Set<String> nativeLibraries = new TreeSet<>();

  private static final Pattern NATIVE_LIBRARY =
      Pattern.compile(".*\\.(so(\\.[0-9.]+)?|dylib|jnilib|dll)$");

  /** Top-level classes of offhours' own packages -> their bytes. */
  final Map<String, byte[]> ownClasses = new TreeMap<>();

  private LambdaPackage(Path zip) {
    this.zip = zip;
  }

  static LambdaPackage read(Path zip) throws IOException {
    if (!Files.isRegularFile(zip)) {
      throw new IOException(zip + " does not exist; build it with: mvn package");
    }
    LambdaPackage p = new LambdaPackage(zip);
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.isDirectory()) {
          continue;
        }
        byte[] bytes = in.readAllBytes();
        p.entries.put(e.getName(), (long) bytes.length);
        if (NATIVE_LIBRARY.matcher(e.getName()).matches()) {
          p.nativeLibraries.add(e.getName());
        }
        if (e.getName().endsWith(".jar")) {
          p.readJar(bytes);
        } else if (e.getName().endsWith(".class")) {
          p.classes.add(e.getName());
          if (e.getName().startsWith("offhours/")) {
            p.ownClasses.put(e.getName(), bytes);
          }
        }
      }
    }
    return p;
  }

  private void readJar(byte[] jar) throws IOException {
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.getName().endsWith(".class")) {
          classes.add(e.getName());
        } else if (NATIVE_LIBRARY.matcher(e.getName()).matches()) {
          nativeLibraries.add(e.getName());
        }
      }
    }
  }

  long size() throws IOException {
    return Files.size(zip);
  }

  /** Class resources whose name starts with {@code prefix}. */
  List<String> classesUnder(String prefix) {
    return classes.stream().filter(c -> c.startsWith(prefix)).toList();
  }

  /**
   * For each of offhours' own classes, the classes it references that neither the package nor the JDK provides:
   * what would end in NoClassDefFoundError on Lambda.
   */
  Map<String, Set<String>> unresolvedReferences() {
    Map<String, Set<String>> missing = new TreeMap<>();
    ClassLoader jdk = ClassLoader.getPlatformClassLoader();
    ownClasses.forEach((name, bytes) -> {
      for (String ref : ClassReferences.of(bytes)) {
        String resource = ref + ".class";
        if (!classes.contains(resource) && jdk.getResource(resource) == null) {
          missing.computeIfAbsent(name, k -> new TreeSet<>()).add(ref);
        }
      }
    });
    return missing;
  }

  /** Unpacks the zip into {@code dir} and returns a class loader over it as Lambda builds one: root, then lib/*.jar. */
  URLClassLoader isolatedClassLoader(Path dir) throws IOException {
    List<URL> urls = new ArrayList<>();
    for (Path p : LambdaZip.unpack(zip, dir)) {
      urls.add(p.toUri().toURL());
    }
    return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
  }

  /** Reads the class names a class file's constant pool refers to (class entries and type descriptors). */
  static final class ClassReferences {
    private static final Pattern DESCRIPTOR_TYPE = Pattern.compile("L([A-Za-z_$][A-Za-z0-9_$/]*);");

    static Set<String> of(byte[] classFile) {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
        if (in.readInt() != 0xCAFEBABE) {
          throw new IllegalArgumentException("not a class file (bad magic number)");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classNameIndexes = new ArrayList<>();
        Set<Integer> stringLiteralIndexes = new HashSet<>();
        for (int i = 1; i < count; i++) {
          int tag = in.readUnsignedByte();
          switch (tag) {
            case 1 -> utf8[i] = in.readUTF();
            case 7 -> classNameIndexes.add(in.readUnsignedShort());
            case 8 -> stringLiteralIndexes.add(in.readUnsignedShort());
            case 16, 19, 20 -> in.readUnsignedShort();
            case 15 -> {
              in.readUnsignedByte();
              in.readUnsignedShort();
            }
            case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
            case 5, 6 -> {
              in.readLong();
              i++; // longs and doubles take two slots
            }
            default ->
              throw new IllegalArgumentException(
                  "unknown constant pool tag " + tag + " at index " + i);
          }
        }
        Set<String> refs = new TreeSet<>();
        for (int index : classNameIndexes) {
          String name = utf8[index];
          if (name.startsWith("[")) {
            addDescriptorTypes(name, refs);
          } else {
            refs.add(name);
          }
        }
        for (int i = 1; i < count; i++) {
          if (utf8[i] != null
              && !stringLiteralIndexes.contains(i)
              && !classNameIndexes.contains(i)) {
            addDescriptorTypes(utf8[i], refs);
          }
        }
        return refs;
      } catch (IOException e) {
        throw new UncheckedIOException("truncated class file", e);
      }
    }

    private static void addDescriptorTypes(String text, Set<String> refs) {
      if (!text.startsWith("(") && !text.startsWith("L") && !text.startsWith("[")) {
        return; // not a field or method descriptor
      }
      Matcher m = DESCRIPTOR_TYPE.matcher(text);
      while (m.find()) {
        refs.add(m.group(1));
      }
    }
  }
}
