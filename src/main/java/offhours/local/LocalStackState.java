package offhours.local;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import offhours.cache.CacheFiles;

/**
 * The local stack's state file, {@code <cache>/local/stack.json} (contracts: "Local stack state file"),
 * written by {@code offhours local start} and read by every command that targets the local stack.
 *
 * @param endpoints service URLs by key: s3, sqs, dynamodb, sagemaker, sagemakerRuntime, lambda
 * @param names resource names by key: bucket, queueUrl, dlqUrl, resultsTable, controlTable, endpoint,
 *     endpointConfig, mappingUuid, classifyFunction
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LocalStackState(Long pid, String region, Map<String, URI> endpoints, Map<String, String> names) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public LocalStackState {
    endpoints = endpoints == null ? Map.of() : new TreeMap<>(endpoints);
    names = names == null ? Map.of() : new TreeMap<>(names);
  }

  /** Where the state file lives under the cache directory. */
  public static Path file(Path cacheDir) {
    return cacheDir.resolve("local").resolve("stack.json");
  }

  public static LocalStackState read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), LocalStackState.class);
  }

  /** Writes atomically, so a reader never sees half a file. */
  public void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    CacheFiles.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
  }
}
