package offhours.local.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The environment of another process, read from Linux's {@code /proc/PID/environ}: how {@code local stop} finds a
 * stack's processes by their mark ({@link ProcessRecorder#MARK}), and how the local SageMaker tells who answered a
 * container command's {@code /ping} ({@code offhours.local.sagemaker.PortHolder}).
 */
public final class ProcessEnvironment {
  /** Enough for an environment in one read (a larger one takes more). */
  private static final int ENVIRONMENT_BYTES = 1 << 16;

  private ProcessEnvironment() {}

  /**
   * The entries of {@code process}'s environment (none while it execs); empty when it cannot be read (another user's,
   * ended, no /proc). Read in one go: the file reads the memory of the program the process ran when it was opened, and
   * ends where the process exec'd another, so a read in two parts (as {@code Files.readAllBytes} reads a file that
   * says it is empty: a byte, then the rest) got the first byte only, now and then, and missed the mark.
   */
  public static Optional<List<String>> of(ProcessHandle process) {
    Path file = Path.of("/proc", Long.toString(process.pid()), "environ");
    try (FileChannel channel = FileChannel.open(file)) {
      ByteBuffer read = ByteBuffer.allocate(ENVIRONMENT_BYTES);
      while (channel.read(read) > 0 && !read.hasRemaining()) {
        read = ByteBuffer.allocate(read.capacity() * 2).put(read.flip());
      }
      return Optional.of(
          read.position() == 0
              ? List.of()
              : Arrays.asList(new String(read.array(), 0, read.position(), StandardCharsets.UTF_8)
                  .split("\0")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
