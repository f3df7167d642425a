package offhours.local.sagemaker;

/**
 * Told of every process the local SageMaker starts (the container command's shell, at each endpoint create and wake),
 * so that whoever runs the service can end it should this JVM be killed outright ({@code kill -9}, an out-of-memory
 * kill) and never close it: nothing else knows the process then. The recorder notices by itself when the process
 * ends ({@link ProcessHandle#onExit()}), so every way a container stops, here or on its own, is covered.
 */
@FunctionalInterface
public interface ProcessRecorder {
  /** Records nothing: the default, for a service whose JVM ends only through {@link LocalSageMaker#close()}. */
  ProcessRecorder NONE = (name, process) -> {};

  /**
   * {@code process} now runs, as {@code name} ("container of endpoint offhours-endpoint"); called right after it
   * starts, before its container is healthy.
   */
  void started(String name, ProcessHandle process);
}
