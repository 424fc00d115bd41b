"""Turn a run's summary and rows into `report.md`, `report.html` and PNG plots.

Plots (matplotlib, headless): headline metrics, accuracy/answer/retrieval per tag, latency
distribution. The HTML embeds the plots so it can be mailed as one file; the Markdown links
them. Both define every metric and list the worst questions with what went wrong.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from eval import metrics  # noqa: E402
from eval.summary import lookup  # noqa: E402

HEADLINE = [
    ("accuracy", "accuracy"),
    ("retrieval.hit@5", "hit@5"),
    ("retrieval.article_hit@5", "evidence article in top 5"),
    ("retrieval.mrr", "MRR"),
    ("answer.contains", "answer contains"),
    ("answer.f1", "answer F1"),
    ("answer.short_f1", "short answer F1"),
    ("answer.short_em", "short answer EM"),
    ("short.bold_precision", "bold short answer precision"),
    ("answer.in_passages", "answer in retrieved passages"),
    ("answer.missed_in_passages", "in passages, not in answer (lower is better)"),
    ("abstention.refused_unanswerable", "refused unanswerable"),
    ("abstention.refused_answerable", "refused answerable (lower is better)"),
    ("citation.precision", "citation precision"),
    ("citation.recall", "citation recall"),
    ("faithfulness.proxy", "faithfulness (proxy)"),
]
WORST = 10


def _plots(out_dir: Path, summary: dict[str, Any], rows: list[dict]) -> dict[str, Path]:
    plots = out_dir / "plots"
    plots.mkdir(exist_ok=True)
    paths: dict[str, Path] = {}

    fig, ax = plt.subplots(figsize=(8, 4.2))
    names = [label for path, label in HEADLINE if lookup(summary, path) is not None]
    values = [lookup(summary, path) for path, _ in HEADLINE if lookup(summary, path) is not None]
    bars = ax.barh(names[::-1], values[::-1], color="#3b6ea5")
    ax.bar_label(bars, fmt="%.2f", padding=3)
    ax.set_xlim(0, 1.1)
    ax.set_title(f"Headline metrics (n={summary['n']})")
    fig.tight_layout()
    paths["metrics"] = plots / "metrics.png"
    fig.savefig(paths["metrics"], dpi=110)
    plt.close(fig)

    tags = list(summary.get("by_tag", {}))
    if tags:
        fig, ax = plt.subplots(figsize=(max(6, len(tags) * 1.1), 4))
        series = [
            ("accuracy", "accuracy"),
            ("retrieval.hit@5", "hit@5"),
            ("answer.contains", "contains"),
        ]
        width = 0.8 / len(series)
        for i, (path, label) in enumerate(series):
            vals = [lookup(summary["by_tag"][t], path) for t in tags]
            vals = [float("nan") if v is None else v for v in vals]  # not applicable: no bar
            ax.bar([x + i * width for x in range(len(tags))], vals, width, label=label)
        ax.set_xticks([x + width for x in range(len(tags))])
        ax.set_xticklabels([f"{t}\n(n={summary['by_tag'][t]['n']})" for t in tags], fontsize=8)
        ax.set_ylim(0, 1.05)
        ax.legend(fontsize=8)
        ax.set_title("By tag")
        fig.tight_layout()
        paths["by_tag"] = plots / "by_tag.png"
        fig.savefig(paths["by_tag"], dpi=110)
        plt.close(fig)

    latency = [r["timings_ms"]["total"] for r in rows if r.get("timings_ms")]
    if latency:
        fig, ax = plt.subplots(figsize=(7, 3.2))
        ax.hist(latency, bins=min(30, max(5, len(latency) // 3)), color="#6a9f58")
        for q, style in (("p50", "--"), ("p95", ":")):
            value = summary["latency_ms"][q]
            ax.axvline(value, color="black", linestyle=style, label=f"{q} {value:.0f} ms")
        ax.set_xlabel("latency per question (ms)")
        ax.legend()
        fig.tight_layout()
        paths["latency"] = plots / "latency.png"
        fig.savefig(paths["latency"], dpi=110)
        plt.close(fig)
    return paths


def _worst(rows: list[dict]) -> list[dict]:
    wrong = [r for r in rows if not r["scores"]["correct"]]
    wrong.sort(
        key=lambda r: (
            (r["scores"].get("answer") or {}).get("f1", 0.0),
            (r["scores"].get("retrieval") or {}).get("mrr", 0.0),
        )
    )
    return wrong[:WORST]


def _what_went_wrong(row: dict) -> str:
    s = row["scores"]
    if not s["answerable"]:
        return "answered a question the articles cannot answer"
    if s["refused"]:
        return "refused an answerable question"
    if s.get("retrieval", {}).get("hit@10") == 0.0:
        return "evidence passage not retrieved"
    return "answer lacks an acceptable answer"


def _figures_table(summary: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (label, "–" if lookup(summary, p) is None else f"{lookup(summary, p):.3f}")
        for p, label in HEADLINE
    ] + [
        (
            "bold short answers given / right",
            "–"
            if lookup(summary, "short.given") is None
            else f"{summary['short']['given']} / {summary['short']['right']}",
        ),
        (
            "latency p50 / p95 (ms)",
            f"{summary['latency_ms']['p50']} / {summary['latency_ms']['p95']}",
        ),
    ]


def write_reports(out_dir: Path, summary: dict[str, Any], rows: list[dict]) -> None:
    plots = _plots(out_dir, summary, rows)
    run = summary.get("run", {})
    gate = summary.get("gate", [])
    facts = (
        f"{summary['n']} questions ({summary['counts']['answerable']} answerable, "
        f"{summary['counts']['unanswerable']} unanswerable) · mode {run.get('mode')} · "
        f"git {run.get('git_revision')} · corpus {run.get('corpus_fingerprint', {})}"
        f" · {run.get('time')}"
    )
    gate_line = "Gate: **passed**" if not gate else "Gate: **FAILED**: " + "; ".join(gate)
    definitions: list[str] = []
    for line in (metrics.__doc__ or "").splitlines():
        if line.startswith("- "):
            definitions.append(line[2:].strip())
        elif line.startswith("  ") and definitions:
            definitions[-1] += " " + line.strip()
    worst = _worst(rows)

    md = [
        f"# Evaluation report: {run.get('gold', '')}",
        "",
        facts,
        "",
        gate_line,
        "",
        "| metric | value |",
        "|---|---|",
    ]
    md += [f"| {k} | {v} |" for k, v in _figures_table(summary)]
    md += ["", "![headline metrics](plots/metrics.png)", ""]
    if "by_tag" in plots:
        md += ["![by tag](plots/by_tag.png)", ""]
    if "latency" in plots:
        md += ["![latency](plots/latency.png)", ""]
    md += [
        "## Worst questions",
        "",
        "| id | question | what went wrong | answer |",
        "|---|---|---|---|",
    ]
    for r in worst:
        answer = r["answer"].replace("\n", " ").replace("|", "\\|")[:160]
        md += [f"| {r['id']} | {r['question']} | {_what_went_wrong(r)} | {answer} |"]
    md += ["", "## Definitions", ""] + [f"- {d}" for d in definitions]
    (out_dir / "report.md").write_text("\n".join(md) + "\n")

    def img(key: str) -> str:
        if key not in plots:
            return ""
        data = base64.b64encode(plots[key].read_bytes()).decode()
        return f'<img alt="{key}" src="data:image/png;base64,{data}">'

    e = html.escape
    table = "".join(f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in _figures_table(summary))
    worst_rows = "".join(
        f"<tr><td>{e(r['id'])}</td><td>{e(r['question'])}</td><td>{e(_what_went_wrong(r))}"
        f"</td><td>{e(r['answer'][:300])}</td></tr>"
        for r in worst
    )
    page = f"""<!doctype html><html><head><meta charset="utf-8">
<title>Evaluation report</title><style>
body{{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;color:#222}}
table{{border-collapse:collapse;margin:1em 0}} td,th{{border:1px solid #ccc;padding:4px 8px;
vertical-align:top;font-size:14px}} .fail{{color:#b00}} .pass{{color:#070}} img{{max-width:100%}}
</style></head><body>
<h1>Evaluation report</h1><p>{e(facts)}</p>
<p class="{"pass" if not gate else "fail"}">{e(gate_line.replace("**", ""))}</p>
<table><tr><th>metric</th><th>value</th></tr>{table}</table>
{img("metrics")}{img("by_tag")}{img("latency")}
<h2>Worst questions</h2><table><tr><th>id</th><th>question</th><th>what went wrong</th>
<th>answer</th></tr>{worst_rows}</table>
<h2>Definitions</h2><ul>{"".join(f"<li>{e(d)}</li>" for d in definitions)}</ul>
</body></html>"""
    (out_dir / "report.html").write_text(page)
