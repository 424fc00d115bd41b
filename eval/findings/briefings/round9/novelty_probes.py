"""Round 9's probes of "What changed": what tells retold background from news, on round 8's
judged lines.

Every line round 8's final code reported as news (`../round8/judged`, held out, and
`../round8/seen`, the six stories) is found in its article, and four signals are measured
against the judges' verdicts (AUC: the chance that a true line scores above a false one):
- where the line stands in its article (news leads, background follows);
- how much of it an older sentence already says (share of its words in the nearest sentence of
  any article dated before its week);
- whether its article names the topic near the line (a passage window) or in its title;
- with `--llm MODEL.gguf`: a local model's answer, given the six older sentences that share
  the line's rarest words, to "does the new sentence report a fact none of the earlier reports
  state?" (P(yes) from the first token's log-probabilities; llama.cpp via xllamacpp, 2 threads).

    python eval/findings/briefings/round9/novelty_probes.py CORPUS.jsonl [--llm MODEL.gguf OUT.json]
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import re
from datetime import date, timedelta
from pathlib import Path

ROUND8 = Path(__file__).parent.parent / "round8"
TOPICS = {
    "ian": "Hurricane Ian damage in Florida",
    "uvalde": "Uvalde school shooting",
    "monkeypox": "monkeypox outbreak",
    "queen": "Queen Elizabeth II death and funeral",
    "twitter": "Elon Musk Twitter deal",
    "artemis": "Artemis moon rocket launch",
    "roe": "Roe v. Wade abortion ruling",
    "maralago": "FBI search of Mar-a-Lago and classified documents",
    "abe": "Shinzo Abe assassination",
}
_STOP = set(
    "the a an of to in and or for on at by with from as is was were be been are that this it "
    "its his her their they he she we you i not but has have had will would could said says "
    "say after before over into about than more most also which who what when where while".split()
)


def words(text: str) -> list[str]:
    return [
        w
        for w in re.findall(r"[a-z0-9][a-z0-9'$%.,]*[a-z0-9%]|[a-z0-9]", text.lower())
        if w not in _STOP
    ]


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).lower().strip()


def judged_lines() -> list[dict]:
    """Round 8's candidate lines with their verdicts and which version reported them."""
    rows = []
    for folder in (ROUND8 / "judged", ROUND8 / "seen" / "judged"):
        verdicts = {}
        for path in folder.glob("verdicts-*.jsonl"):
            for line in path.read_text().splitlines():
                if line.strip():
                    found = json.loads(line)
                    verdicts[found["id"]] = bool(found["new_fact"])
        for row in json.loads((folder / "lines.json").read_text()):
            rows.append({**row, "new": verdicts[row["id"]], "set": folder.parent.name})
    return rows


def auc(scored: list[tuple[float, bool]]) -> float:
    pos = [s for s, y in scored if y]
    neg = [s for s, y in scored if not y]
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--llm", nargs=2, metavar=("MODEL", "OUT"))
    args = parser.parse_args()
    corpus = [json.loads(line) for line in args.corpus.open()]
    by_date = collections.defaultdict(list)
    for article in corpus:
        by_date[article["date"]].append(article)
    sentences = []  # (date, words, text, source) of every sentence of the corpus
    for article in corpus:
        for s in re.split(r'(?<=[.!?"”])\s+|\n+', article["text"]):
            ws = set(words(s))
            if len(ws) >= 4:
                sentences.append((article["date"], ws, s, article["source"]))
    df = collections.Counter(w for _, ws, _, _ in sentences for w in ws)
    postings = collections.defaultdict(list)
    for i, (_, ws, _, _) in enumerate(sentences):
        for w in ws:
            if df[w] < 3000:
                postings[w].append(i)

    reported = [r for r in judged_lines() if r["after"]]
    for r in reported:
        key = _norm(r["text"])[:80]
        article = next(a for a in by_date[r["date"]] if key in _norm(a["text"]))
        text = _norm(article["text"])
        r["position"] = text.find(key) / max(1, len(text))
        start = (date.fromisoformat(r["until"]) - timedelta(6)).isoformat()
        own = set(words(r["text"]))
        shared = collections.Counter()
        for w in own:
            for i in postings.get(w, ()):
                if sentences[i][0] < start:
                    shared[i] += math.log(len(sentences) / df[w])
        r["older"] = [i for i, _ in shared.most_common(30)]
        r["overlap"] = max(
            (len(own & sentences[i][1]) / max(1, len(own)) for i in r["older"]), default=0.0
        )
        names = {w.lower() for w in re.findall(r"[A-Za-z][\w-]*", TOPICS[r["story"]])}
        names = {w for w in names if len(w) > 2 and w not in {"and", "ii"}}
        capitalised = {
            w.lower() for w in re.findall(r"\b[A-Z][\w-]*", TOPICS[r["story"]]) if len(w) > 2
        }
        names = (capitalised - {"ii"}) or names
        at = article["text"].find(r["text"][:40])
        window = article["text"][max(0, at - 1200) : at + 1200]
        here = set(re.findall(r"[a-z0-9][a-z0-9-]*", (window + " " + article["title"]).lower()))
        r["names_topic"] = bool(names & here)

    for s in ("round8", "seen"):
        rows = [r for r in reported if r["set"] == s]
        true = sum(r["new"] for r in rows)
        print(f"{s}: {len(rows)} reported, {true} true ({true / len(rows):.3f})")
        position = auc([(-r["position"], r["new"]) for r in rows])
        overlap = auc([(-r["overlap"], r["new"]) for r in rows])
        print(f"  position AUC (earlier = news): {position:.3f}")
        print(f"  older-overlap AUC (less = news): {overlap:.3f}")
        for cut in (0.5, 0.35):
            kept = [r for r in rows if r["position"] < cut]
            good = sum(r["new"] for r in kept)
            print(
                f"  keeping lines in the first {cut:.0%} of their article: precision "
                f"{good / len(kept):.3f}, {good} of the {true} true kept"
            )
        off = [r for r in rows if not r["names_topic"]]
        print(
            f"  lines whose passage and title never name the topic: {len(off)}, "
            f"{sum(r['new'] for r in off)} of them true"
        )

    if args.llm:
        ask_model(reported, sentences, *args.llm)


def ask_model(reported: list[dict], sentences: list, model: str, out: str) -> None:
    import socket

    import xllamacpp as xlc
    from openai import OpenAI

    params = xlc.CommonParams()
    params.model.path = model
    params.hostnames = ["127.0.0.1"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        params.port = s.getsockname()[1]
    params.n_ctx = 4096
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = 2
    params.verbosity = -1
    server = xlc.Server(params)
    client = OpenAI(base_url=str(server.listening_address).rstrip("/") + "/v1", api_key="none")
    found = []
    for r in reported:
        older, seen = [], set()
        for i in r["older"]:
            text = sentences[i][2].strip()
            if text not in seen:
                seen.add(text)
                older.append(f"- ({sentences[i][0]}, {sentences[i][3]}) {text[:400]}")
            if len(older) == 6:
                break
        prompt = (
            "Earlier news reports:\n" + "\n".join(older) + f"\n\nNew sentence ({r['date']}): "
            f"{r['text']}\n\nDoes the new sentence report a fact that none of the earlier "
            "reports state? Answer with one word, yes or no."
        )
        reply = client.chat.completions.create(
            model="local",
            messages=[{"role": "user", "content": prompt}],
            max_tokens=1,
            temperature=0,
            logprobs=True,
            top_logprobs=10,
        )
        first = reply.choices[0].logprobs.content[0].top_logprobs
        odds = {t.token.strip().lower(): math.exp(t.logprob) for t in first}
        yes, no = odds.get("yes", 0.0), odds.get("no", 0.0)
        found.append(
            {
                "id": r["id"],
                "set": r["set"],
                "new": r["new"],
                "p_new": yes / (yes + no) if yes + no else 0.5,
            }
        )
    Path(out).write_text(json.dumps(found))
    for s in ("round8", "seen"):
        rows = [f for f in found if f["set"] == s]
        print(f"{s}: model AUC {auc([(f['p_new'], f['new']) for f in rows]):.3f}")
    print(f"all: model AUC {auc([(f['p_new'], f['new']) for f in found]):.3f}")


if __name__ == "__main__":
    main()
