package offhours.cli;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A process that holds a local stack's lock as {@code local run} does, for a test that needs the lock held by another
 * process: {@code StackLockHolder LOCK_FILE} takes it, prints {@code locked} and sleeps until it is ended.
 */
public final class StackLockHolder {
  private StackLockHolder() {}

  public static void main(String[] args) throws Exception {
    FileChannel channel =
        FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    channel.lock();
    System.out.println("locked");
    System.out.flush();
    Thread.sleep(60_000);
  }
}
