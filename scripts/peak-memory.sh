#!/bin/sh
# Peak memory of one `rasd index` run, sampled from /proc/PID/status every 0.2 s: anonymous
# memory, file-backed pages (the index's mapped files) and the whole RSS, and the run's time.
#
#   scripts/peak-memory.sh RASD MEMORY_MB INPUT...
#
# e.g. the README's web archive figures:
#   cargo run --release --example gen-corpus -- --docs 80000 --format warc --out /tmp/gen
#   mkdir /tmp/one && cat /tmp/gen/*.warc.gz > /tmp/one/crawl.warc.gz
#   scripts/peak-memory.sh target/release/rasd 50 /tmp/one
set -eu
rasd=$1 memory=$2
shift 2
index=$(mktemp -d)
start=$(date +%s)
"$rasd" index --index "$index/index" --memory "$memory" --quiet "$@" &
pid=$!
anon=0 file=0 rss=0
while kill -0 $pid 2>/dev/null; do
  set -- $(awk '/^RssAnon/{a=$2} /^RssFile/{f=$2} /^VmRSS/{r=$2} END{print a+0, f+0, r+0}' /proc/$pid/status 2>/dev/null || echo 0 0 0)
  [ "$1" -gt $anon ] && anon=$1
  [ "$2" -gt $file ] && file=$2
  [ "$3" -gt $rss ] && rss=$3
  sleep 0.2
done
wait $pid
seconds=$(($(date +%s) - start))
rm -rf "$index"
echo "--memory $memory: peak anonymous $((anon / 1000)) MB, mapped files $((file / 1000)) MB, RSS $((rss / 1000)) MB, $seconds s"
