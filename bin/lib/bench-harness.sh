# Shared by bin/bench-gateway and bin/bench-commands (sourced, not run): builds the gateway's
# runnable jar, its test classes and the test classpath, copies them to a temporary directory (a
# rebuild in the working tree during the run changes nothing), and runs one benchmark main of
# src/gateway/src/test/java/io/streembit/gateway/bench. The gateway and PostgreSQL are stopped on
# every exit path: the harness stops them itself; if it was killed outright, the two pids it
# recorded are stopped here.
#
#   bench_harness_run <name> <main class> "$@"
#
# BENCH_MAVEN_ARGS adds Maven arguments (e.g. -o to stay offline); BENCH_HARNESS_JVM_OPTS adds options
# to the harness's JVM (e.g. -Xlog:gc:file=harness-gc.log); --help/-h skips the build when the
# benchmark is already compiled, and otherwise compiles only it (no jar), as on a fresh clone.

bench_harness_run() {
  local name="$1" main="$2"
  shift 2
  cd "$(dirname "${BASH_SOURCE[0]}")/../.."
  local root
  root=$(pwd)

  local java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  local build=yes a
  for a in "$@"; do
    if [[ "$a" == "--help" || "$a" == "-h" ]]; then build=no; fi
  done

  if [[ "$build" == yes ]]; then
    bench_harness_build package
  elif [[ ! -f src/gateway/target/bench.classpath || ! -f "src/gateway/target/test-classes/${main//.//}.class" ]]; then
    # the options are printed by the benchmark's own main: a fresh clone has to compile it first
    echo "compiling the benchmark to print its options (once) ..." >&2
    bench_harness_build test-compile
  fi

  bench_snap=$(mktemp -d "${TMPDIR:-/tmp}/bench-$name.XXXXXX")
  bench_pidfile="$bench_snap/pids"
  trap bench_harness_cleanup EXIT
  trap 'exit 130' INT TERM

  local classpath="" e
  if [[ "$build" == yes ]]; then
    cp -r src/gateway/target/quarkus-app "$bench_snap/quarkus-app"
    mkdir -p "$bench_snap/lib"
    cp -r src/gateway/target/test-classes "$bench_snap/test-classes"
    # the gateway's own classes too: the harness's GatewayProcess hashes its API key with security.ApiKey
    cp -r src/gateway/target/classes "$bench_snap/classes"
    classpath="$bench_snap/test-classes:$bench_snap/classes"
    local entries
    IFS=":" read -r -a entries < src/gateway/target/bench.classpath || true   # no final newline
    for e in "${entries[@]}"; do
      if [[ "$e" == "$root"/* && -f "$e" ]]; then   # this repository's module jars: copy them too
        cp "$e" "$bench_snap/lib/"
        e="$bench_snap/lib/$(basename "$e")"
      fi
      classpath="$classpath:$e"
    done
  else
    classpath="src/gateway/target/test-classes:src/gateway/target/classes:$(cat src/gateway/target/bench.classpath 2>/dev/null || true)"
  fi

  local status=0
  # G1 with short pauses: the harness holds the sealed entries (over a GB), and ParallelGC's pauses
  # of its DHT nodes (up to 0.4 s for a full collection) showed up as the gateway's latency.
  # shellcheck disable=SC2086  # BENCH_HARNESS_JVM_OPTS: extra options for the harness's JVM, split on spaces
  "$java" -Xmx4g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 ${BENCH_HARNESS_JVM_OPTS:-} -cp "$classpath" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
      -Dbench.root="$root" -Dbench.jar="$bench_snap/quarkus-app/quarkus-run.jar" -Dbench.pidfile="$bench_pidfile" \
      -Dbench.source="${BENCH_SOURCE:-}" \
      "$main" "$@" || status=$?
  exit $status
}

# Runs Maven up to <phase> for the gateway and what it needs, and writes the test classpath to
# src/gateway/target/bench.classpath. Maven's output only when it fails.
bench_harness_build() {
  local phase="$1" out
  # shellcheck disable=SC2086  # BENCH_MAVEN_ARGS: several arguments, split on spaces
  if ! out=$(./mvnw -q -B -ntp ${BENCH_MAVEN_ARGS:-} -pl src/gateway -am "$phase" -DskipTests \
          org.apache.maven.plugins:maven-dependency-plugin:3.7.0:build-classpath \
          -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test 2>&1); then
    echo "$out" >&2
    exit 1
  fi
}

bench_harness_cleanup() {
  # Normally the harness stops the gateway and PostgreSQL itself and removes the pid file; if it
  # was killed outright, stop exactly the two processes it recorded (SIGTERM / PostgreSQL's fast
  # shutdown, SIGKILL after 20 s), and only then remove the snapshot the gateway runs from.
  local what pid
  if [[ -s "$bench_pidfile" ]]; then
    while read -r what pid; do
      if [[ "$what" == pgdir ]]; then   # PostgreSQL's temporary directory, once the server is down
        if [[ "$pid" == */streembit-pg-* ]]; then rm -rf "$pid"; fi
        continue
      fi
      if kill -0 "$pid" 2>/dev/null; then
        if [[ "$what" == postgres ]]; then kill -INT "$pid" 2>/dev/null || true; else kill "$pid" 2>/dev/null || true; fi
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$pid" 2>/dev/null || true
      fi
    done < "$bench_pidfile"
  fi
  rm -rf "$bench_snap"
}
