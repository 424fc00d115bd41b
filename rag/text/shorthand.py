"""Chat shorthand spelled out: how a question typed in a hurry is read ("french fm name", "who
is the new uk pm", "how much aid came thru the pier").

Every rule that reads a question reads words the articles write: "foreign minister" is an
office (`rag.text.offices`) and a phrase BM25 finds, "fm" is neither. `spelled_out` rewrites
the few abbreviations people type in a chat into those words, before the question is searched
and read; the answer still shows the question as typed. Only whole words (not "drive-thru",
which is how the articles write it), and only where
the short form cannot mean something else there: "pm" after a clock time stays the time ("5
pm"), "us" stays as it is (`rag.text.truecase` reads "the us"). What it leaves out: spelling
mistakes, and abbreviations the articles write themselves (IDF, CENTCOM: those are names,
and `rag.text.aliases` knows their long forms).
"""

from __future__ import annotations

import re

# short form → the words the articles write; each one that chat users type and news does not
_SPELLED = {
    "pm": "prime minister",
    "fm": "foreign minister",
    "govt": "government",
    "gov't": "government",
    "gov’t": "government",
    "yr": "year",
    "yrs": "years",
    "thru": "through",
    "ppl": "people",
    "abt": "about",
    "w/": "with",
    "w/o": "without",
    "pres": "president",
    "dept": "department",
    "intl": "international",
    "bn": "billion",
}
_SHORT = re.compile(
    r"(?<![\w/’'-])("
    + "|".join(re.escape(k) for k in sorted(_SPELLED, key=len, reverse=True))
    + r")(?=(?:['’]s)?(?:[^\w/'’-]|$))",  # a whole word, or one with "'s" after it
    re.I,
)
# "5 pm", "10:30 p.m." stay times; "$5 bn" is spelled out, a figure's scale
_AFTER_A_TIME = re.compile(r"\d(?::\d\d)?\s*$")


def spelled_out(question: str) -> str:
    """`question` with chat shorthand written out in full; unchanged when it has none."""

    def full(m: re.Match[str]) -> str:
        short = m.group(1)
        if short.lower() == "pm" and _AFTER_A_TIME.search(question, 0, m.start()):
            return short
        if short.isupper() and len(short) > 2:
            return short  # "PRES", "DEPT" typed in capitals are left as written
        return _SPELLED[short.lower()]

    return _SHORT.sub(full, question)
