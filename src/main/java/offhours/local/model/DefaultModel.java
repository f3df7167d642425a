package offhours.local.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import offhours.cache.CacheFiles;
import offhours.local.process.ProcessRecorder;

/**
 * The default model: nsfwjs' MobileNetV2 (npm {@code nsfwjs@4.4.0}, MIT), a 5-class content-moderation
 * classifier. No model hub is reachable, so on first use it is fetched with {@code npm pack} from the npm
 * registry, unwrapped by a small Node script (the package ships the model as JavaScript modules), converted
 * to ONNX in Java and cached; later calls only check the cache. Fetches into one cache take turns ({@link
 * FetchLock}), and each clears what a killed fetch left there.
 */
public final class DefaultModel {
  /** Its name, as the command line shows it where a stack serves it. */
  public static final String NAME = "nsfwjs MobileNetV2";

  /**
   * Why {@code --labels} alone is refused where the default model would be served: labels name the classes of a
   * model the user brings, and the default's are its own.
   */
  public static final String NAMES_ITS_OWN_CLASSES =
      "the default model (" + NAME + ") names its own classes";

  private static final String PACKAGE = "nsfwjs@4.4.0";
  /** The registry's dist.integrity for nsfwjs-4.4.0.tgz: npm verifies it too, this pins the version's content. */
  private static final String INTEGRITY =
      "sha512-krC1fgeTLXtZwgdpKJ0jm7hqv0gTSRQQRL+FhOaxaJ9Wj92t42BO3csO2odwgTAgZgf2RvkwPtp0R8Aa7dc+MA==";

  static final List<String> LABELS = List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
  private static final String ONNX_FILE = "nsfwjs-mobilenet_v2.onnx";
  private static final String LABELS_FILE = "labels.txt";

  private static final String INSTALL_HINT =
      "install Node.js 20 or newer with npm (Debian/Ubuntu: sudo apt-get install nodejs npm; others: https://nodejs.org),"
          + " or serve your own model with --model model.onnx --labels labels.txt";

  private final Path cacheDir;
  private final String node;
  private final String npm;
  private final ProcessRecorder recorder;
  private final PrintStream notes;

  DefaultModel(
      Path cacheDir, String node, String npm, ProcessRecorder recorder, PrintStream notes) {
    this.cacheDir = cacheDir;
    this.node = node;
    this.npm = npm;
    this.recorder = recorder;
    this.notes = notes;
  }

  /**
   * Returns the cached ONNX model and labels under {@code cacheDir}, fetching and converting them first if
   * needed (needs node and npm, and the npm registry, once).
   */
  public static ModelFiles ensure(Path cacheDir) throws IOException {
    return ensure(cacheDir, ProcessRecorder.NONE, System.err);
  }

  /**
   * As {@link #ensure(Path)}, each npm and node process started and recorded by {@code recorder} (a local stack killed
   * outright while it fetches the model leaves them running, and its state file names them for {@code local stop})
   * and {@code notes} of the fetch when there is one, of a wait for another fetch and of what killed fetches left
   * that it removed.
   */
  public static ModelFiles ensure(Path cacheDir, ProcessRecorder recorder, PrintStream notes)
      throws IOException {
    return new DefaultModel(cacheDir, "node", "npm", recorder, notes).ensure();
  }

  static Path modelDir(Path cacheDir) {
    return cacheDir.resolve("models").resolve("nsfwjs-4.4.0");
  }

  ModelFiles ensure() throws IOException {
    Path dir = modelDir(cacheDir);
    ModelFiles files = new ModelFiles(dir.resolve(ONNX_FILE), dir.resolve(LABELS_FILE));
    if (complete(files)) {
      if (FetchLock.anyWorkFolder(cacheDir)) {
        try (FetchLock lock = FetchLock.tryHold(cacheDir)) {
          if (lock != null) { // else another process fetches now, and its folder is no leftover
            removeLeftovers(lock);
          }
        }
      }
      return files;
    }
    requireTool(npm);
    requireTool(node);
    FetchLock lock = FetchLock.tryHold(cacheDir);
    if (lock == null) {
      notes.println("another offhours process is fetching the default model into " + cacheDir
          + "; waiting for it to finish");
      lock = FetchLock.hold(cacheDir);
    }
    try (FetchLock held = lock) {
      removeLeftovers(held);
      if (complete(files)) { // the fetch waited for
        return files;
      }
      // Said only now: a run that finds the model cached has nothing to wait for.
      notes.println("fetching the default model (npm " + PACKAGE
          + ") and converting it to ONNX, once: later runs use the copy in " + dir + " ...");
      CacheFiles.privateDirectory(dir);
      Path work = held.newWorkFolder();
      try {
        fetch(work, files);
        return files;
      } finally {
        FetchLock.deleteTree(work);
      }
    }
  }

  private static boolean complete(ModelFiles files) {
    return Files.isRegularFile(files.onnx()) && Files.isRegularFile(files.labels());
  }

  private void removeLeftovers(FetchLock lock) throws IOException {
    List<String> removed = lock.removeLeftovers();
    if (!removed.isEmpty()) {
      notes.println("removed what an interrupted fetch of the default model left in " + cacheDir
          + ": " + String.join(", ", removed));
    }
  }

  private void fetch(Path work, ModelFiles files) throws IOException {
    run(
        work,
        List.of(npm, "pack", PACKAGE, "--silent"),
        300,
        "the default model is fetched once from the npm registry (https://registry.npmjs.org); check the network"
            + " or npm's registry setting, or serve your own model with --model model.onnx --labels labels.txt");
    Path tgz = work.resolve("nsfwjs-4.4.0.tgz");
    if (!Files.isRegularFile(tgz)) {
      throw new IOException(
          "npm pack " + PACKAGE + " did not write " + tgz.getFileName() + " in " + work);
    }
    verifyIntegrity(tgz);
    Tarball.extract(
        tgz,
        work,
        List.of("package/dist/models/mobilenet_v2/", "package/dist/cjs/nsfw_classes.js"));
    Path script = work.resolve("extract-tfjs.cjs");
    try (InputStream in = DefaultModel.class.getResourceAsStream("extract-tfjs.cjs")) {
      Files.copy(in, script);
    }
    run(
        work,
        List.of(
            node,
            script.toString(),
            work.resolve("package").toString(),
            "mobilenet_v2",
            work.toString()),
        120,
        "the Node.js script that unpacks nsfwjs' model failed");
    List<String> labels = Files.readAllLines(work.resolve(LABELS_FILE));
    if (!labels.equals(LABELS)) {
      throw new IOException(PACKAGE + " lists classes " + labels + ", expected " + LABELS);
    }
    byte[] onnx = TfjsLayersToOnnx.convert(work.resolve("model.json"), work.resolve("weights.bin"));
    CacheFiles.writeAtomically(
        files.labels(), (String.join("\n", labels) + "\n").getBytes(StandardCharsets.UTF_8));
    CacheFiles.writeAtomically(files.onnx(), onnx); // last: its presence marks a complete cache
  }

  private void requireTool(String tool) throws IOException {
    try {
      Process p =
          recorder.start(tool, new ProcessBuilder(tool, "--version").redirectErrorStream(true));
      p.getInputStream().readAllBytes();
      if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return;
      }
      p.destroyForcibly();
    } catch (ProcessRecorder.StartRefused e) {
      throw e; // the stack is stopping: the tool may well be there
    } catch (IOException e) {
      // fall through: not on PATH or not executable
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while checking for " + tool, e);
    }
    throw new IOException(
        "the default model (" + PACKAGE + ") is fetched with npm and unpacked with Node.js once,"
            + " but '" + tool + "' is not available on PATH: " + INSTALL_HINT);
  }

  private void run(Path dir, List<String> command, int timeoutSeconds, String hint)
      throws IOException {
    Path log = dir.resolve("command.log");
    Process p = recorder.start(
        command.getFirst(),
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile()));
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(
            String.join(" ", command) + " did not finish within " + timeoutSeconds + " s; " + hint);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", command), e);
    }
    if (p.exitValue() != 0) {
      List<String> lines = Files.readAllLines(log);
      String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
      throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "); "
          + hint + ":\n" + tail);
    }
  }

  private static void verifyIntegrity(Path tgz) throws IOException {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-512").digest(Files.readAllBytes(tgz));
      String actual = "sha512-" + Base64.getEncoder().encodeToString(digest);
      if (!actual.equals(INTEGRITY)) {
        throw new IOException(
            tgz.getFileName() + " has integrity " + actual + ", expected " + INTEGRITY
                + "; the package in your npm registry differs from the one offhours was tested with");
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-512", e);
    }
  }
}
