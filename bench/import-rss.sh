#!/usr/bin/env bash
# Peak RSS of a real `trainyard serve` while a CLI beside it imports a 200 MB CSV by path (the server
# started with --allow-path-imports for the file's folder). Usage: bash bench/import-rss.sh
# Prints the server's resting RSS, its high-water mark (VmHWM) after the import, and the import time.
set -uo pipefail
cd "$(dirname "$0")/.."
W=$(mktemp -d /tmp/trainyard-import-rss.XXXX)
trap 'kill "$SP" 2>/dev/null; rm -rf "$W"' EXIT
node --import tsx -e "import('./test/helpers/large-csv.ts').then((m) => m.largeCsv('$W/big.csv', 200))"
node bin/trainyard.mjs --data-dir "$W/data" serve --port 0 --allow-path-imports "$W" > "$W/serve.out" 2>&1 &
SP=$!
for _ in $(seq 1 240); do grep -q "token=" "$W/serve.out" && break; sleep 0.5; done
rest=$(awk '/VmRSS/ {print $2}' /proc/$SP/status)
t0=$(date +%s%N)
node bin/trainyard.mjs --data-dir "$W/data" datasets import "$W/big.csv" --name big --json > "$W/import.out" 2>&1 || { cat "$W/import.out"; exit 1; }
t1=$(date +%s%N)
hwm=$(awk '/VmHWM/ {print $2}' /proc/$SP/status)
echo "| file MB | server RSS at rest MB | server peak RSS MB (VmHWM) | import s |"
echo "|---|---|---|---|"
echo "| $(( $(stat -c %s "$W/big.csv") / 1048576 )) | $(( rest / 1024 )) | $(( hwm / 1024 )) | $(( (t1 - t0) / 1000000 / 1000 )).$(( (t1 - t0) / 1000000 % 1000 / 100 )) |"
