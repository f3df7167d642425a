# Shared by the scripts in scripts/: finds the tools offhours needs or says how to get them.
# shellcheck shell=bash

export OFFHOURS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

die() { echo "offhours: $*" >&2; exit 1; }

# java_major DIR -> prints the major version of the JDK in DIR (empty if DIR is not a JDK)
java_major() {
  local release="$1/release" v
  [ -x "$1/bin/javac" ] && [ -f "$release" ] || return 0
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  echo "$v"
}

# Selects a JDK >= 21: JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm.
select_jdk() {
  local best="" best_v=0 d v
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then best="$JAVA_HOME"; best_v=$v; fi
  fi
  if [ -z "$best" ]; then
    for d in /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
      [ -d "$d" ] || continue
      v=$(java_major "$d")
      if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v=$v; fi
    done
  fi
  [ -n "$best" ] || die "no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm has: $(ls /usr/lib/jvm 2>/dev/null | tr '\n' ' ')).
  Install one (for example Temurin 21 from adoptium.net, or 'apt-get install openjdk-21-jdk' where your distribution has it) and set JAVA_HOME to it."
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}

# Finds a command, looking in pyenv's shims as well; prints how to install it when missing.
need() {
  local cmd="$1" how="$2"
  if ! command -v "$cmd" >/dev/null 2>&1 && [ -d "$HOME/.pyenv/shims" ]; then
    export PATH="$PATH:$HOME/.pyenv/shims"
  fi
  command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' is not installed. $how"
}

# MAVEN_OPTS for the scripts' Maven runs: no /tmp/hsperfdata_USER file, and quiet about Maven's bundled Guava
# calling sun.misc.Unsafe, which JDK 24+ warns about on every run.
maven_opts() {
  local opts="${MAVEN_OPTS:-} -XX:-UsePerfData"
  if [ "$(java_major "${JAVA_HOME:-}")" -ge 24 ] 2>/dev/null; then
    opts="$opts --sun-misc-unsafe-memory-access=allow"
  fi
  echo "$opts"
}

# Sets JVM_TMP_OPTS: options that keep a script's JVM from leaving anything in /tmp (offhours.cli.OwnTmpdir): a
# fresh directory under ${TMPDIR:-/tmp} as its java.io.tmpdir, which the JVM removes when it ends (ONNX Runtime
# unpacks its native library there and leaves the folder), and no /tmp/hsperfdata_USER file.
own_tmpdir() {
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/offhours-jvm.XXXXXXXX") || die "cannot create a directory in ${TMPDIR:-/tmp}"
  JVM_TMP_OPTS=(-XX:-UsePerfData "-Djava.io.tmpdir=$dir" "-Doffhours.ownTmpdir=$dir")
}

need_maven() {
  need mvn "Install Apache Maven 3.8 or newer (for example 'apt-get install maven')."
}

# The one "build if needed" of the scripts (offhours, demo): compiles the project and writes target/classpath.txt
# (the runtime dependencies: no test jar) when either is missing or anything under src/main or pom.xml is newer than
# the stamp of the last build. When nothing changed it costs one 'find'. The class path comes from pom.xml's
# scripts-classpath execution, which every Maven build past compile runs too, as it writes the stamp (scripts-built):
# both write the same file, and the scripts that the integration tests of 'mvn verify' run build nothing.
ensure_built() {
  local stamp="$OFFHOURS_ROOT/target/.offhours-built"
  if [ -f "$stamp" ] && [ -f "$OFFHOURS_ROOT/target/classpath.txt" ] && [ -d "$OFFHOURS_ROOT/target/classes" ] \
      && [ -z "$(find "$OFFHOURS_ROOT/src/main" "$OFFHOURS_ROOT/pom.xml" -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  need_maven
  echo "offhours: building (first run, or the sources changed) ..." >&2
  # Stamp the start, not the end: a file edited during the build triggers the next one.
  local started
  mkdir -p "$OFFHOURS_ROOT/target"
  started=$(mktemp "$OFFHOURS_ROOT/target/.offhours-build.XXXXXX")
  # Maven 3.8 prints bare colour resets even in batch mode; they are stripped so only real errors show.
  if ! (cd "$OFFHOURS_ROOT" && MAVEN_OPTS="$(maven_opts)" mvn -q -B -ntp compile \
      dependency:build-classpath@scripts-classpath 2>&1 | sed $'s/\e\\[0m//g' >&2
      exit "${PIPESTATUS[0]}"); then
    rm -f "$started"
    die "the build failed; run 'mvn compile' in $OFFHOURS_ROOT to see why"
  fi
  mv "$started" "$stamp"
}

# The JVM class path of a built project (after ensure_built).
offhours_classpath() {
  echo "$OFFHOURS_ROOT/target/classes:$(cat "$OFFHOURS_ROOT/target/classpath.txt")"
}

# Headless Chromium and ChromeDriver (Debian's chromium and chromium-driver) for the tests that render pages.
# Exports OFFHOURS_CHROMIUM and OFFHOURS_CHROMEDRIVER. As root without a terminal (CI) it installs the packages;
# otherwise it says how.
need_chromium() {
  local chromium driver
  chromium=$(command -v chromium 2>/dev/null || true)
  driver=$(command -v chromedriver 2>/dev/null || true)
  [ -n "$chromium" ] || chromium=/usr/bin/chromium
  [ -n "$driver" ] || driver=/usr/bin/chromedriver
  if { [ ! -x "$chromium" ] || [ ! -x "$driver" ]; } && [ "$(id -u)" = 0 ] && [ ! -t 0 ]; then
    echo "offhours: installing chromium and chromium-driver with apt-get (headless browser tests) ..." >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q chromium chromium-driver >&2; then
      apt-get update -q >&2 || true
      apt-get install -y -q chromium chromium-driver >&2 || true
    fi
  fi
  [ -x "$chromium" ] && [ -x "$driver" ] || die "headless Chromium and ChromeDriver are needed ($chromium, $driver).
  On Debian or Ubuntu: sudo apt-get install chromium chromium-driver"
  export OFFHOURS_CHROMIUM="$chromium" OFFHOURS_CHROMEDRIVER="$driver"
}
