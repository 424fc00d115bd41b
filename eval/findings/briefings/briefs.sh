#!/bin/bash
# usage: briefs.sh CODE_DIR OUT_DIR [RTQA_DATA_DIR]
# 5 realtimeqa topics on the small split (collection eval-1419954052 in RTQA_DATA_DIR, a copy of
# the lead's store; default /tmp/stories/rtqa) and 2 seed topics (seeds ingested into OUT/seeds-data)
CODE=$1; OUT=$2; RTQA=${3:-/tmp/stories/rtqa}
mkdir -p $OUT
cd $CODE
export HF_HUB_OFFLINE=1
for t in "Shinzo Abe assassination" "Yellowstone flooding" "Monkeypox outbreak" "Stanley Cup Final Avalanche Lightning" "Roe v. Wade abortion ruling"; do
  f=$(echo "$t" | tr ' .' '__')
  RAG_DATA_DIR=$RTQA RAG_COLLECTION=eval-1419954052 PYTHONPATH=$CODE nice -n 5 /work/main/.venv/bin/python -m rag.cli brief "$t" --out $OUT/rtqa-$f.md
done
[ -d $OUT/seeds-data ] || RAG_DATA_DIR=$OUT/seeds-data PYTHONPATH=$CODE nice -n 5 /work/main/.venv/bin/python -m rag.cli ingest seeds
for t in "Israel–Hezbollah border" "Gaza pier"; do
  f=$(echo "$t" | tr ' .–' '___')
  RAG_DATA_DIR=$OUT/seeds-data PYTHONPATH=$CODE nice -n 5 /work/main/.venv/bin/python -m rag.cli brief "$t" --out $OUT/seeds-$f.md
done
