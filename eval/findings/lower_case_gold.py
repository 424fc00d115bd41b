"""A gold file's questions as people type them: in lower case, nothing else changed.

    python -m eval.findings.lower_case_gold GOLD.jsonl OUT.jsonl

Every rule that reads names from a question reads them from capitals, and a news-quiz gold set
is written with them; a chat box gets "who won the british open". Asking the same gold in
lower case (`rag eval --gold OUT.jsonl …`) measures what the capitals were doing.
What it leaves out: other ways of typing (no question mark, missing words, typos).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    source, out = Path(args[0]), Path(args[1])
    with open(source, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as w:
        for line in f:
            if line.strip():
                item = json.loads(line)
                item["question"] = item["question"].lower()
                w.write(json.dumps(item, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
