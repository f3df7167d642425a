// Needs: node and npm with the npm registry reachable (installs nsfwjs@4.4.0 and
// @tensorflow/tfjs@4.22.0 once
// into the offhours cache, and fetches the default model), and ONNX Runtime.
package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import offhours.local.model.ImagePreprocessor.Pixels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The converted ONNX model plus {@link ImagePreprocessor} give the same probabilities as nsfwjs' own
 * JavaScript (its loader, its infer(), TF.js' CPU backend) on the same decoded pixels.
 */
class NsfwjsEquivalenceIT {
  private static final double TOLERANCE = 1e-3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path nodeProject;
  private static ModelFiles model;

  @BeforeAll
  static void installNsfwjsAndTfjs() throws Exception {
    model = ModelFixtures.defaultModel();
    nodeProject = ModelFixtures.cacheDir().resolve("nsfwjs-equivalence");
    if (!Files.isDirectory(nodeProject.resolve("node_modules/@tensorflow/tfjs"))
        || !Files.isDirectory(nodeProject.resolve("node_modules/nsfwjs"))) {
      Files.createDirectories(nodeProject);
      Files.writeString(nodeProject.resolve("package.json"), "{\"private\": true}\n");
      // tfjs 4.22.0 satisfies nsfwjs' peer dependency "@tensorflow/tfjs": "^4.0.0".
      run(
          nodeProject,
          "npm",
          "install",
          "--no-audit",
          "--no-fund",
          "nsfwjs@4.4.0",
          "@tensorflow/tfjs@4.22.0");
    }
  }

  @Test
  void probabilitiesMatchNsfwjsOnPhotosAndNoise(@TempDir Path dir) throws Exception {
    List<Pixels> inputs = new ArrayList<>();
    List<String> names = List.of("chelsea", "rocket", "noise-317x203", "noise-224x224");
    inputs.add(ImagePreprocessor.decode(ImagePreprocessorTest.resource("chelsea.png")));
    inputs.add(ImagePreprocessor.decode(ImagePreprocessorTest.resource("rocket.jpg")));
    inputs.add(noise(317, 203, 42)); // resized on both sides
    inputs.add(noise(224, 224, 7)); // nsfwjs skips the resize at the model's size
    List<Object> manifest = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      Pixels p = inputs.get(i);
      Files.write(dir.resolve(names.get(i) + ".rgb"), p.rgb());
      manifest.add(
          java.util.Map.of("name", names.get(i), "width", p.width(), "height", p.height()));
    }
    JSON.writeValue(dir.resolve("inputs.json").toFile(), manifest);
    // Next to node_modules, so require() finds nsfwjs and TF.js.
    Path script = nodeProject.resolve("nsfwjs-predict.cjs");
    try (InputStream in = NsfwjsEquivalenceIT.class.getResourceAsStream("nsfwjs-predict.cjs")) {
      Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    run(nodeProject, "node", script.toString(), dir.toString());

    double worst = 0;
    try (OnnxContainer container = OnnxContainer.start(model.onnx(), 0)) {
      ImagePreprocessor preprocessor = container.classifier().preprocessor();
      for (int i = 0; i < inputs.size(); i++) {
        String name = names.get(i);
        FloatBuffer tensor = ByteBuffer.allocateDirect(preprocessor.tensorSize() * 4)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
        preprocessor.resize(inputs.get(i), tensor);

        float[] tfjsTensor = floats(dir.resolve(name + ".f32"));
        assertThat(maxAbsDiff(tensor, tfjsTensor))
            .as("%s: resized tensor vs TF.js resizeBilinear", name)
            .isLessThan(1e-5);

        float[] ours = container.classifier().infer(tensor);
        double[] theirs =
            JSON.readValue(dir.resolve(name + ".probs.json").toFile(), double[].class);
        assertThat(ours)
            .as("%s: number of classes", name)
            .hasSize(theirs.length)
            .hasSize(5);
        for (int c = 0; c < theirs.length; c++) {
          double diff = Math.abs(ours[c] - theirs[c]);
          worst = Math.max(worst, diff);
          assertThat(diff)
              .as(
                  "%s, class %s: ONNX %s vs nsfwjs %s",
                  name, DefaultModel.LABELS.get(c), ours[c], theirs[c])
              .isLessThanOrEqualTo(TOLERANCE);
        }
      }
    }
    System.out.printf(
        "max abs difference vs nsfwjs over %d inputs x 5 classes: %.3g%n", inputs.size(), worst);
  }

  private static Pixels noise(int width, int height, long seed) {
    byte[] rgb = new byte[width * height * 3];
    new Random(seed).nextBytes(rgb);
    return new Pixels(width, height, rgb);
  }

  private static float[] floats(Path file) throws IOException {
    FloatBuffer b =
        ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] a = new float[b.remaining()];
    b.get(a);
    return a;
  }

  private static double maxAbsDiff(FloatBuffer ours, float[] theirs) {
    assertThat(ours.capacity()).isEqualTo(theirs.length);
    double max = 0;
    for (int i = 0; i < theirs.length; i++) {
      max = Math.max(max, Math.abs(ours.get(i) - theirs[i]));
    }
    return max;
  }

  private static void run(Path dir, String... command) throws Exception {
    Process p = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue())
        .as("%s failed:%n%s", String.join(" ", command), output)
        .isZero();
  }
}
