#!/bin/bash
# usage: briefs.sh CODE_DIR OUT_DIR ; runs 5 realtimeqa topics on the small split and 2 seed topics
CODE=$1; OUT=$2
cd $CODE
export HF_HUB_OFFLINE=1
for t in "Shinzo Abe assassination" "Yellowstone flooding" "Monkeypox outbreak" "Stanley Cup Final Avalanche Lightning" "Roe v. Wade abortion ruling"; do
  f=$(echo "$t" | tr ' .' '__')
  RAG_DATA_DIR=/tmp/stories/rtqa RAG_COLLECTION=eval-1419954052 PYTHONPATH=$CODE nice -n 5 /work/main/.venv/bin/python -m rag.cli brief "$t" --out $OUT/rtqa-$f.md
done
for t in "Israel–Hezbollah border" "Gaza pier"; do
  f=$(echo "$t" | tr ' .–' '___')
  RAG_DATA_DIR=$OUT/seeds-data PYTHONPATH=$CODE nice -n 5 /work/main/.venv/bin/python -m rag.cli brief "$t" --out $OUT/seeds-$f.md
done
