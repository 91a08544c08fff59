#!/bin/sh
# The performance benchmark (see README, "Performance"). Builds rasd and the benchmark in
# release mode, then runs it; arguments go to the benchmark:
#   scripts/bench.sh                        # 200,000 articles, 100,000-file tree, 3 runs
#   scripts/bench.sh --docs 20000 --files 5000 --runs 1 --repeat 2   # a quick look
#   scripts/bench.sh --only warc --warc-docs 20000   # WARC input next to JSON Lines, alone
#   scripts/bench.sh --only search --runs 1          # the searches alone, with and without the glossary
#   scripts/bench.sh --only search --baseline RASD   # searches, beside another rasd too
#   scripts/bench.sh --only watch --baseline RASD    # `rasd watch run`, beside another rasd
#   scripts/bench.sh --only scale --runs 1           # the scale curve: 200,000, 500,000, 1,000,000 articles
#   scripts/bench.sh --only scale --scale 20000,50000 --runs 1 --repeat 2   # a quick curve
#   scripts/bench.sh --only indexing --runs 1        # rasd beside tantivy on one view and Lucene,
#                                                    # on the narrow and the wide corpus
#   scripts/bench.sh --only indexing --vocabulary wide   # the wide corpus alone
# Corpora are generated once under target/bench and reused; results go to
# target/bench/results.json (--json FILE to change).
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin rasd --example gen-corpus --example tantivy-one-view --example bench
exec target/release/examples/bench "$@"
