#!/usr/bin/env bash
# Instructions per event of an adapter executable, independent of the machine's load
# (docs/performance.md "What bounds each target"): the adapter runs under callgrind (whole process)
# against the emulator in its own process, preloaded with N x 1 KiB orders by Apache's Node
# producer; a Node sink answers 202; SIGTERM once all N arrived. Per event = (Ir at N2 - Ir at N1) / (N2 - N1).
# Usage: hack/callgrind-per-event.sh ADAPTER_EXECUTABLE [N1=500] [N2=4000]
set -euo pipefail
adapter=$(realpath "$1"); n1=${2:-500}; n2=${3:-4000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
dotnet build -c Release "$root/src/RocketMqSource.Emulator" >/dev/null
emulator_port=$((20000 + RANDOM % 10000)); sink_port=$((emulator_port + 1)); health=$((emulator_port + 2)); metrics=$((emulator_port + 3))
dotnet "$root/src/RocketMqSource.Emulator/bin/Release/net10.0/RocketMqSource.Emulator.dll" --listen "127.0.0.1:$emulator_port" >"$work/emulator.log" 2>&1 &
emulator=$!
trap 'kill $emulator 2>/dev/null || true; rm -rf "$work"' EXIT
until grep -qs listening "$work/emulator.log"; do sleep 0.2; done
instructions() {
  local n=$1 topic="cg-$1-$RANDOM"
  (cd "$root/tests/interop" && ROCKETMQ_ENDPOINT="127.0.0.1:$emulator_port" node produce-orders.mjs "$topic" "$n" 1024 >/dev/null)
  node "$root/tests/interop/counting-sink.mjs" "$sink_port" "$n" >"$work/sink.log" &
  local sink=$!
  until grep -qs listening "$work/sink.log"; do sleep 0.1; done
  K_SINK="http://127.0.0.1:$sink_port/" NAME=cg NAMESPACE=default ROCKETMQ_ENDPOINTS="127.0.0.1:$emulator_port" \
    ROCKETMQ_TOPIC="$topic" ROCKETMQ_CONSUMER_GROUP="$topic" HEALTH_PORT=$health METRICS_PORT=$metrics \
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.$n" "$adapter" >"$work/adapter.log" 2>&1 &
  local run=$!
  wait $sink
  kill -TERM $run; wait $run || true
  awk '/^summary:/ { print $2 }' "$work/cg.$n"
}
ir1=$(instructions "$n1"); ir2=$(instructions "$n2")
echo "{ \"ir$n1\": $ir1, \"ir$n2\": $ir2, \"irPerEvent\": $(( (ir2 - ir1) / (n2 - n1) )) }"
