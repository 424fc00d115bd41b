"""Follow-up questions in a conversation, made to stand alone for retrieval.

A question is rewritten only when it cannot stand alone: it leans on the previous turn
("and what did Austin say?", "what about Lebanon?"), or uses a pronoun with no full name
(for "they/them/their", no plural) before it in the question for it to point at ("why is it shutting
down?", "what did Gallant call him?"), or is a fragment without a name of its own. In a later
part of a several-part question a pronoun may also point at the first part's subject ("How
much did the pier cost and when will it close?" stands alone, both parts answered). A question that
stands alone ("Who is Mohammed Deif?") is searched as asked, never joined to the previous one. With
an LLM the rewrite uses llama-index's condense-question prompt; offline (or when the endpoint fails)
the follow-up is searched together with the previous question as searched (less the follow-ups in
it that only point back: `subject_of`), and answered alone with that question as its topic (so "How
much did it cost?" is not answered as a two-part question that repeats the previous answer).
Callers keep the searched questions as the history.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rag.errors import LLMUnavailable
from rag.settings import Settings
from rag.text.question import CONNECTIVES, Question
from rag.text.stopwords import STOPWORDS
from rag.text.truecase import cased_like

_LEANING = re.compile(
    rf"^\s*({'|'.join(CONNECTIVES)}|what about|how about|what else|why not|same for|as for)\b",
    re.I,
)
_PRONOUN = re.compile(
    r"\b(he|she|it|they|him|her|them|his|hers|its|their|theirs|"
    r"that one|this one)\b",
    re.I,
)
# "they/them/their" may point at a plural named earlier in the question itself ("How many
# Israelis have been displaced from their homes?" stands alone; "Who leads them?" does not)
_PLURAL_PRONOUNS = {"they", "them", "their", "theirs"}
_PLURAL = re.compile(r"\b[A-Za-z][a-z’'\-]{2,}[^su’'\s]s\b")
_FULL_NAME = re.compile(r"\b[A-Z][a-z’'\-]+(?:\s+(?:bin\s+|al-|de\s+)?[A-Z][a-z’'\-]+)+")
# a subject a later part's pronoun can point at: "the pier", "the Gaza pier", a name
_SUBJECT = re.compile(r"\bthe\s+\w[\w’'\-]*|(?<=\s)[A-Z][a-z’'\-]+")
# where one question of a searched text ends and the next begins
_QUESTION_END = re.compile(r"(?<=\?)\s+")
_ECHOED_ROLE = re.compile(
    r"^\s*(?:(?:human|user|assistant|standalone question|question)\s*:"
    r"\s*)+",
    re.I,
)


def needs_context(question: str | Question) -> bool:
    """Whether `question` leans on the conversation instead of standing alone."""
    asked = Question.of(question)
    if _LEANING.match(asked.text) or points_back(asked):
        return True
    # a short question naming nothing leans on the chat ("and the cost?"); "who is kurilla"
    # names whom it asks about, even in lower case
    return len(asked.text.split()) <= 3 and not asked.entities and asked.who_is is None


def points_back(question: str | Question) -> bool:
    """Whether a pronoun in `question` has nothing named before it to point at, so its
    subject is the conversation's ("why is it closing?"), not one of its own."""
    asked = Question.of(question)
    text = asked.text
    full_names = [m.start() for m in _FULL_NAME.finditer(text) if m.start() > 0]
    plurals = [m.start() for m in _PLURAL.finditer(text) if m.group(0).lower() not in STOPWORDS]
    # a later part of a several-part question may point back at the first part's subject:
    # "How much did the pier cost and when will it close?" stands alone
    first_part = len(asked.parts[0].text.rstrip("?")) if len(asked.parts) > 1 else 0
    subjects = [m.start() for m in _SUBJECT.finditer(text[:first_part])]
    for m in _PRONOUN.finditer(text):
        anchors = plurals + full_names if m.group(0).lower() in _PLURAL_PRONOUNS else full_names
        if m.start() >= first_part:
            anchors = anchors + subjects
        if not any(start < m.start() for start in anchors):
            return True  # nothing named before the pronoun for it to point at
    return False


def subject_of(searched: str) -> str:
    """What a follow-up to `searched` (an earlier question as searched) leans on: its
    questions less those that only point back at an earlier one and name nothing. After
    "How much did the pier cost? and when did it open?", the next follow-up leans on the
    pier's question alone, so a chat's searched text does not grow by a question each turn;
    "what about Lebanon?" and "what did Gallant tell him?" name something and are kept. The
    first question is always kept."""
    first, *later = _QUESTION_END.split(searched.strip())
    kept = [q.text for q in map(Question.of, later) if not points_back(q) or q.entities]
    return " ".join([first, *kept])


@dataclass(frozen=True)
class Turn:
    """A question as the conversation reads it: `question` is answered; `topic`, when set, is
    the earlier question it leans on (offline), searched with it but not answered again."""

    question: str
    topic: str = ""

    @property
    def searched(self) -> str:
        """What retrieval is given, shown to the reader and kept as the history."""
        return f"{self.topic} {self.question}" if self.topic else self.question


def next_turn(
    history: list[str],
    follow_up: str,
    settings: Settings,
    use_llm: bool = False,
    names: Mapping[str, str] | None = None,
) -> Turn:
    """`follow_up` read in its conversation, given the earlier questions as searched (oldest
    first): as asked when it stands alone, rewritten by the LLM, or leaning on the last one.
    `names`, how the store writes its names (`rag.text.truecase`), tell a short question
    typed in lower case that names something ("where is rafah") from one naming nothing
    ("and the cost?"): read from capitals alone, the first leaned on the question before."""
    follow_up = follow_up.strip()
    if not history or not needs_context(cased_like(follow_up, (), names)):
        return Turn(follow_up)
    if use_llm:
        try:
            return Turn(condense(history, follow_up, settings))
        except LLMUnavailable:
            pass
    return Turn(follow_up, topic=subject_of(history[-1]))


def standalone(
    history: list[str], follow_up: str, settings: Settings, use_llm: bool = False
) -> str:
    """`follow_up` as the text to search, given the earlier questions as searched."""
    return next_turn(history, follow_up, settings, use_llm).searched


def condense(history: list[str], follow_up: str, settings: Settings) -> str:
    """The LLM's standalone rewrite of `follow_up` (llama-index's condense-question prompt)."""
    # Only CondenseQuestionChatEngine's prompt: the engine would also answer, and asks the
    # model without `chat`'s retries, endpoint slots and the offline fallback `next_turn` needs.
    from llama_index.core.chat_engine.condense_question import DEFAULT_PROMPT
    from llama_index.core.llms import ChatMessage, MessageRole

    from rag.answering.llm import chat

    turns = "\n".join(f"Human: {q}" for q in history[-4:])
    prompt = DEFAULT_PROMPT.format(chat_history=turns, question=follow_up)
    reply = chat([ChatMessage(role=MessageRole.USER, content=prompt)], settings)
    return clean_rewrite(reply) or f"{history[-1]} {follow_up}"


def clean_rewrite(reply: str) -> str:
    """The first line of a rewrite, without role labels or quotes a model may echo."""
    for line in reply.strip().splitlines():
        line = _ECHOED_ROLE.sub("", line).strip().strip('"“”').strip()
        if line and not line.startswith("<"):
            return line
    return ""
