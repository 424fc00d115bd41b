#!/bin/bash
# Round 4 (stop 43): the seven round-3 topics (../round3/topics.tsv) briefed by the code of
# CODE_DIR over a RealTime QA store. usage: briefs.sh CODE_DIR OUT_DIR STORE_DIR [COLLECTION]
#   STORE_DIR: all 4,712 realtimeqa-2022 articles, e.g. the store `rag eval --corpus` built
#   (RAG_DATA_DIR=STORE_DIR; its collection is named in the eval's log: eval-…)
# before: CODE_DIR a worktree of e6ab620; after: a26a67a; after4: ef12a79; after5: 914c2ac.
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../../../.." && pwd)
code=$1; out=$2; store=$3; collection=${4:-articles}; mkdir -p "$out"
while IFS=$'\t' read -r key topic since until; do
  (cd "$code" && PYTHONPATH=$code RAG_DATA_DIR=$store RAG_COLLECTION=$collection \
    "$root/.venv/bin/python" -m rag.cli brief "$topic" --since "$since" --until "$until" \
    --out "$out/$key.md") > /dev/null 2>&1
done < "$here/../round3/topics.tsv"
