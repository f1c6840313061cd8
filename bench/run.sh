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
exec java ${BENCH_JAVA_OPTS:-} -cp "$jar:$here/target/lib/*" io.pipeserve.bench.cli.Main "$@"
