#!/bin/bash
# Briefings on seven real 2022 topics (topics.tsv) by the code before issue 29 (6b233b7) and
# after (this checkout). usage: briefs.sh OUT_DIR RTQA_DATA_DIR
#   RTQA_DATA_DIR: a store of all 4,712 realtimeqa-2022 articles, made with
#   RAG_DATA_DIR=DIR rag ingest ../shared/data/realtimeqa-2022/corpus.jsonl
# `before` runs from a worktree: git worktree add /tmp/wt-before 6b233b7
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../../../.." && pwd)
out=$1; store=$2; mkdir -p $out/before $out/after
while IFS=$'\t' read key topic since until; do
  for side in before after; do
    code=$root; [ $side = before ] && code=/tmp/wt-before
    (cd $code && RAG_DATA_DIR=$store $root/.venv/bin/python -m rag.cli brief "$topic" \
      --since $since --until $until --out $out/$side/$key.md) > /dev/null 2>&1
  done
done < $here/topics.tsv
