"""`import rag` keeps NLTK from importing scikit-learn and SciPy and bm25s from importing
SciPy, and nothing else from them; bm25s's numpy matrix holds SciPy's scores.

NLTK's own import pulls both in for parts we never use (about 1 s of a cold `rag ask`), bm25s
SciPy for building a matrix answering never builds (0.13 s); a fresh interpreter shows they
stay out through those imports and still import when asked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.helpers import ROOT, SEEDS

CHECK = """
import sys
import rag
from llama_index.core.utils import globals_helper
import nltk
from nltk.tokenize import PunktSentenceTokenizer
assert "sklearn" not in sys.modules and "scipy" not in sys.modules, "pulled in by NLTK"
import scipy.stats, sklearn.feature_extraction  # still there for whoever needs them
print("ok")
"""


def test_nltk_comes_without_sklearn_and_scipy_which_still_import() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


BM25S = """
import sys
import rag
from llama_index.retrievers.bm25 import BM25Retriever
import bm25s
assert "scipy" not in sys.modules and not bm25s.SCIPY_AVAILABLE, "pulled in by bm25s"
import scipy.sparse  # still there for whoever needs it
print("ok")
"""

# in an interpreter without `rag`: bm25s builds with SciPy when asked, and with numpy
SAME_SCORES = """
import json, sys
import bm25s
import numpy as np
docs = [json.loads(line)["text"] for line in open(sys.argv[1])]
tokens = bm25s.tokenize(docs, stopwords="en", show_progress=False)
built = {}
for backend in ("scipy", "numpy"):
    model = bm25s.BM25(csc_backend=backend)
    model.index(tokens, show_progress=False)
    built[backend] = model
a, b = built["scipy"].scores, built["numpy"].scores
assert np.array_equal(a["data"], b["data"]) and np.array_equal(a["indices"], b["indices"])
n = len(a["indptr"])  # numpy's has one more closing entry, for no column
assert np.array_equal(a["indptr"], b["indptr"][:n]) and b["indptr"][n] == a["indptr"][-1]
queries = ["pier cost", "Gallant phone call", "Hezbollah commander killed", "evacuated"]
for query in queries:
    q = bm25s.tokenize([query], stopwords="en", show_progress=False)
    got = [m.retrieve(q, k=3, show_progress=False) for m in built.values()]
    assert np.array_equal(got[0].documents, got[1].documents), query
    assert np.allclose(got[0].scores, got[1].scores), query
print("ok")
"""


def test_bm25s_comes_without_scipy_which_still_imports() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BM25S], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


def test_bm25s_builds_the_same_scores_with_numpy_as_with_scipy(tmp_path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir()) if p.is_file()]
    sentences = [line for text in texts for line in text.split(". ") if line.strip()]
    corpus = tmp_path / "docs.jsonl"
    corpus.write_text("".join(json.dumps({"text": s}) + "\n" for s in sentences))
    done = subprocess.run(
        [sys.executable, "-c", SAME_SCORES, str(corpus)],
        cwd=tmp_path,  # not the checkout: `rag` stays out of this interpreter
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


SMALL_INGEST = """
import sys
from pathlib import Path
from rag.index.embedder import get_embed_model
from rag.ingest.pipeline import ingest
from rag.settings import Settings
settings = Settings(data_dir=Path(sys.argv[1]), embed_precision="bf16")
get_embed_model(settings).get_text_embedding("the ONNX model exported, if it was not yet")
before = "torch" in sys.modules
report = ingest([Path("seeds")], settings, progress=False)
print(before, "torch" in sys.modules, report.chunks > 0)
"""


def test_a_small_ingest_at_bf16_embeds_without_loading_pytorch(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SMALL_INGEST, str(tmp_path / "data")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    before, after, stored = done.stdout.split()
    assert before == "False", "exporting the ONNX model imported PyTorch: run again"
    assert stored == "True" and after == "False"  # five articles: the fp32 ONNX model did it


ASK = """
import sys
from pathlib import Path
from rag import Assistant
from rag.settings import Settings
assistant = Assistant.from_settings(Settings(data_dir=Path(sys.argv[1])))
answer = assistant.ask(sys.argv[2])
print("nltk" in sys.modules, "torch" in sys.modules, len(answer.citations) > 0)
"""


def test_a_one_sentence_question_is_answered_without_loading_nltk_or_pytorch(
    tmp_path,
) -> None:
    """Punkt is needed at answer time only for a question of several sentences (the stored
    chunks carry their sentence spans), so a cold `rag ask` does not load NLTK (0.3 s)."""
    data = tmp_path / "data"
    subprocess.run(
        [sys.executable, "-m", "rag.cli", "ingest", "seeds"],
        cwd=ROOT,
        env={**os.environ, "RAG_DATA_DIR": str(data)},
        capture_output=True,
        check=True,
        timeout=300,
    )
    for question, nltk_loaded in [
        ("How much did the temporary Gaza pier cost?", "False"),
        ("Israel struck Beirut. Which Hezbollah commander was killed there?", "True"),
    ]:
        done = subprocess.run(
            [sys.executable, "-c", ASK, str(data), question],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.split() == [nltk_loaded, "False", "True"], question
