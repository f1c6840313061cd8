#!/usr/bin/env bash
# pipeserve benchmarks: bench/run.sh load|baseline-server|jmh ... (--help for each).
# Builds the module on first use; rebuild with ./mvnw -q -pl bench -am -DskipTests package.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
jar="$here/target/pipeserve-bench.jar"
if [[ ! -f "$jar" || ! -d "$here/target/lib" ]]; then
  (cd "$root" && ./mvnw -q -pl bench -am -DskipTests package)
fi
# runtime and bench both ship a logback.xml: logback would print its status (a warning) first.
exec java -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
  -Dpipeserve.root="$root" \
  ${BENCH_JAVA_OPTS:-} -cp "$jar:$here/target/lib/*" io.pipeserve.bench.cli.Main "$@"
