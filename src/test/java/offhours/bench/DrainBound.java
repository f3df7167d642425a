package offhours.bench;

/**
 * The fastest the local drain can go on this machine, from the CPU each image costs, measured while draining. Two
 * limits hold at once and the smaller one binds:
 *
 * <ul>
 *   <li>all cores: this JVM (Lambda shim, handler, local SageMaker, container) and moto_server together cannot spend
 *       more CPU per second than the machine has cores;
 *   <li>moto_server's one core: it is one Python process whose request handling holds the interpreter's global lock
 *       (its threads take turns), so it spends at most about one core however many cores are free. Measured: with 1,
 *       2 and 4 clients it stayed at 0.94-0.97 core where two moto_server processes used 1.90 (README,
 *       "Performance").
 * </ul>
 *
 * @param cores the machine's cores
 * @param jvmMsPerImage CPU of this JVM per image drained, in ms
 * @param motoMsPerImage CPU of moto_server per image drained, in ms
 */
record DrainBound(int cores, double jvmMsPerImage, double motoMsPerImage) {

  /** What moto_server can spend: one core, as the global interpreter lock lets one thread run Python at a time. */
  static final double MOTO_CORES = 1.0;

  DrainBound {
    if (cores < 1) {
      throw new IllegalArgumentException("cores must be at least 1, not " + cores);
    }
    if (!(jvmMsPerImage > 0) || !(motoMsPerImage > 0)) {
      throw new IllegalArgumentException("the CPU per image must be positive: JVM " + jvmMsPerImage
          + " ms, moto_server " + motoMsPerImage + " ms; was anything drained?");
    }
  }

  /** CPU per image of the whole local stack, in ms. */
  double totalMsPerImage() {
    return jvmMsPerImage + motoMsPerImage;
  }

  /** Images per second if every core did nothing but drain: cores / total CPU per image. */
  double allCores() {
    return cores * 1000 / totalMsPerImage();
  }

  /** Images per second moto_server can serve on its one core: 1 core / moto_server's CPU per image. */
  double motoCore() {
    return MOTO_CORES * 1000 / motoMsPerImage;
  }

  /** The bound the drain is judged against: the smaller of the two. */
  double bound() {
    return Math.min(allCores(), motoCore());
  }

  /** Whether moto_server's one core is the smaller bound. */
  boolean motoBinds() {
    return motoCore() < allCores();
  }

  /** The limit cell of the drain line: both bounds, the one used first. */
  String limit() {
    String moto =
        String.format("moto_server's 1 core / %.1f ms = %.1f /s", motoMsPerImage, motoCore());
    String all = String.format(
        "%d cores / %.1f ms (JVM + moto_server) = %.1f /s", cores, totalMsPerImage(), allCores());
    return String.format(
        "bound %.1f /s, the smaller of %s and %s",
        bound(), motoBinds() ? moto : all, motoBinds() ? all : moto);
  }
}
