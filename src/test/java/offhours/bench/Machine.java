package offhours.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the bench reads of the machine: CPU time (this JVM's, its threads', a process tree's) and the CPU model. */
final class Machine {

  private Machine() {}

  /** CPU time of the live threads, summed by name with digits removed (pools grouped). */
  static Map<String, Long> threadCpuByGroup() {
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<String, Long> groups = new java.util.TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      long cpu = mx.getThreadCpuTime(t.threadId());
      if (cpu > 0) {
        groups.merge(t.getName().replaceAll("\\d+", "N"), cpu, Long::sum);
      }
    }
    return groups;
  }

  static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** utime + stime of a process and its descendants from /proc (moto_server may run under a wrapper). */
  static long processTreeCpuNanos(long pid) {
    long ticks = 0;
    List<Long> pids = new ArrayList<>();
    pids.add(pid);
    ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
    for (long p : pids) {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(p), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15: utime, stime
      } catch (IOException | RuntimeException e) {
        // gone or not Linux: counted as 0
      }
    }
    return ticks * 10_000_000L; // USER_HZ is 100 on Linux
  }

  static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  static String osLine() {
    return System.getProperty("os.name") + " " + System.getProperty("os.arch");
  }
}
