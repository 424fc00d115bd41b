"""The citation check's pure rules on hand-made claims: what counts as a hard fact, how dates
and figures are normalised, negation, the bar for short claims, prompt echoes, questions, and
who said or did what (`rag.text.speakers`, on the seed articles' own sentences)."""

from __future__ import annotations

import pytest

from rag.answering.claims import echoes_prompt, is_question, ordinary_sentence, split_claims
from rag.answering.support import negated, support_bar
from rag.text.facts import figures_and_dates, hard_facts, missing_facts, normalise
from rag.text.parties import same_party
from rag.text.roles import claim_roles, passage_roles, sentence_roles
from rag.text.sentences import sentence_spans
from rag.text.speakers import speaker_conflict
from tests.helpers import SEEDS


@pytest.mark.parametrize(
    "a, b",
    [
        ("2024-01-04", "January 4, 2024"),
        ("2024-01-04", "4 Jan 2024"),
        ("$230 million", "230 million dollars"),
        ("$230 million", "230 million US dollars"),
        ("1,200", "1200"),
    ],
)
def test_dates_and_figures_read_the_same_however_written(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_an_iso_date_in_a_claim_is_found_in_a_passage_that_writes_it_out() -> None:
    claim = "Gallant met Hochstein in Tel Aviv (2024-01-04)."
    assert "2024-01-04" in hard_facts(claim)
    assert missing_facts(claim, "On January 4, 2024, Gallant met Hochstein in Tel Aviv.") == []
    assert missing_facts(claim, "On January 5, 2024, Gallant met Hochstein in Tel Aviv.") == [
        "2024-01-04"
    ]


def test_a_figure_must_match_with_its_scale_and_not_inside_a_longer_number() -> None:
    assert missing_facts("The dock cost $230 million.", "The 230 million dollars dock.") == []
    assert missing_facts("The dock cost $230 billion.", "The $230 million dock.") == [
        "230 billion dollars"
    ]
    assert missing_facts("At least 84 people died.", "In 1984 people died.") == ["84"]
    assert missing_facts("Some 1,200 people were killed.", "killing some 1200 people") == []


def test_weekdays_and_month_names_are_hard_facts() -> None:
    claim = "Gallant and Austin spoke by phone on Tuesday."
    passage = "Gallant spoke overnight Wednesday with his counterpart Lloyd Austin."
    assert "tuesday" in hard_facts(claim)
    assert missing_facts(claim, passage) == ["tuesday"]
    assert missing_facts("The pier opened in May.", "The pier opened in June.") == ["may"]
    assert "may" not in hard_facts("Israel may strike Hezbollah.")  # the verb, not the month
    assert "may" in hard_facts("The pier closes mid-May.")


def test_negation_is_seen_on_either_side() -> None:
    assert negated("The United States denied any role.")
    assert negated("Hamas did not respond.") and negated("It didn’t happen.")
    assert negated("Israel rejected the offer.") and negated("He never said it.")
    assert not negated("The United States said it did.")


def test_short_claims_must_reach_a_higher_bar() -> None:
    assert support_bar("The United States said it did.", 0.5) == pytest.approx(0.7)
    assert (
        support_bar("Gallant and Austin discussed the release of the hostages held in Gaza.", 0.5)
        == 0.5
    )


@pytest.mark.parametrize(
    "reply",
    [
        "Passages:\n[1] Gallant tells US envoy ...",
        "Passage:\n[1] Israeli Defense Minister ...",
        "The dock cost $230 million [1].\nQuestion: How much did the dock cost?",
        "Rules:\n- Use only what the passages say.",
    ],
)
def test_a_reply_that_echoes_the_prompt_is_recognised(reply: str) -> None:
    assert echoes_prompt(reply)


def test_an_ordinary_answer_is_not_an_echo() -> None:
    assert not echoes_prompt(
        "The question of the pier was raised by Austin [1]. The rules of engagement changed [2]."
    )
    assert not echoes_prompt("Rules of engagement were loosened in May [2].")


@pytest.mark.parametrize(
    "text, ordinary",
    [
        ("Rules:", False),
        ("Passages:", False),
        ("date 2024", False),
        ("[2]", False),
        ("Yes, it did.", True),
        ("Yes.", True),
        ("The articles do not say.", True),
        ("84 people died.", True),
    ],
)
def test_ordinary_sentences(text: str, ordinary: bool) -> None:
    assert ordinary_sentence(text) is ordinary


@pytest.mark.parametrize(
    "text, asks",
    [
        ("In the U.S., what is the supreme law of the land?", True),
        ("What is the Bill of Rights?", True),
        ("What is the Bill of Rights", True),  # an interrogative that lost its question mark
        ("How many people were killed", True),
        ("Did Gallant meet Hochstein", True),
        ("Gallant told Hochstein there is a short window", False),
        ("Who Gallant met remains unclear.", False),
        ("“Why now?” Gallant asked.", False),  # reports a question: a claim
        ("The pier, which was closed in May, cost $230 million", False),
        ("In June, Kurilla visited Israel", False),
    ],
)
def test_a_question_is_told_from_a_claim(text: str, asks: bool) -> None:
    assert is_question(text) is asks


def _seed_line(prefix: str, containing: str) -> str:
    [text] = [p.read_text(encoding="utf-8") for p in SEEDS.glob(f"{prefix}_*.txt")]
    [line] = [ln for ln in text.splitlines() if containing in ln]
    return line


# The seed sentences as written: Gallant tells Hochstein, Gallant calls Deif a bin Laden.
TOLD = _seed_line("003", "told US special envoy")
CALLED = _seed_line("002", "Osama bin Laden of Gaza")


def test_the_agent_of_a_verb_is_found_however_the_sentence_puts_it() -> None:
    [told] = sentence_roles(TOLD).roles
    assert (told.lemma, told.agents) == ("tell", ("Defense Minister Yoav Gallant",))
    assert "Amos Hochstein" in told.objects and "US" not in told.objects  # "US special envoy"
    calling = [r for r in sentence_roles(CALLED).roles if r.form == "calling"]
    assert calling and calling[0].agents == ("Gallant",)  # ", calling him": the clause's agent
    [passive] = claim_roles("Hochstein was told by Gallant that the window is short.")
    assert (passive.agents, passive.objects) == (("Gallant",), ("Hochstein",))
    [reported] = claim_roles("“We find ourselves at a junction,” said Gallant.")
    assert reported.agents == ("Gallant",)
    [apposed] = claim_roles("Gallant, the defense minister, warned Hezbollah.")
    assert apposed.agents == ("Gallant",)
    assert claim_roles("He told Hochstein the window is short.")[0].agents == ()  # unresolved
    assert claim_roles("The recent call lasted an hour.") == []  # a noun, not the verb


def test_he_and_the_minister_stand_for_the_named_agent_in_a_passage() -> None:
    text = (
        "Defense Minister Yoav Gallant met US envoy Amos Hochstein on Monday. "
        "He told the envoy the window is short. The minister also warned Hezbollah."
    )
    assert [s.roles[0].agents for s in passage_roles(text, sentence_spans(text))] == [
        ("Defense Minister Yoav Gallant",),
        ("Defense Minister Yoav Gallant",),
        ("Defense Minister Yoav Gallant",),
    ]


@pytest.mark.parametrize(
    "a, b",
    [
        ("Gallant", "Defense Minister Yoav Gallant"),
        ("Secretary Austin", "Lloyd Austin"),
        ("IDF", "Israel Defense Forces"),
        ("Hochstein", "Amos Hochstein"),
    ],
)
def test_one_party_under_its_several_names(a: str, b: str) -> None:
    assert same_party(a, b) and same_party(b, a)


def test_different_parties_are_not_the_same() -> None:
    assert not same_party("Austin", "Gallant")
    assert not same_party("Foreign Ministry", "Defense Ministry")
    assert not same_party("US", "United Nations")


@pytest.mark.parametrize(
    "claim, sentence, reason",
    [
        (
            "Hochstein told Gallant there is a short window for a diplomatic solution.",
            TOLD,
            "names “Hochstein” as the one who told where it is “Defense Minister Yoav Gallant” in",
        ),
        (
            "Gallant was told by Hochstein that there is a short window.",
            TOLD,
            "names “Hochstein” as the one who told where it is “Defense Minister Yoav Gallant” in",
        ),
        (
            "Austin called him the Osama bin Laden of Gaza.",
            CALLED,
            "names “Austin” as the one who called where it is “Gallant” in",
        ),
        (
            "Gallant told Austin there is a short window for diplomatic understandings.",
            TOLD,
            "names “Austin” as the one Gallant told where it is “Amos Hochstein” in",
        ),
    ],
)
def test_a_swapped_speaker_or_addressee_is_a_conflict(
    claim: str, sentence: str, reason: str
) -> None:
    assert speaker_conflict(claim, [sentence_roles(sentence)]) == reason


@pytest.mark.parametrize(
    "claim, sentence",
    [
        ("Gallant told Hochstein there is a short window for a diplomatic solution.", TOLD),
        (
            "Defense Minister Yoav Gallant told US envoy Amos Hochstein that there is a short "
            "window.",
            TOLD,
        ),
        ("Hochstein was told by Gallant that there is a short window.", TOLD),
        ("Gallant called Deif the Osama bin Laden of Gaza.", CALLED),
        (
            "The Israeli Defense Ministry said Gallant called Deif the Osama bin Laden of Gaza.",
            CALLED,
        ),
        ("Austin met Gallant in Tel Aviv.", "Gallant met Lloyd Austin in Tel Aviv on Monday."),
    ],
)
def test_the_right_speaker_is_no_conflict(claim: str, sentence: str) -> None:
    assert speaker_conflict(claim, [sentence_roles(sentence)]) is None


def test_markers_after_an_end_mark_cite_the_sentence_before_them() -> None:
    claims = split_claims(
        "In the U.S., what is the supreme law of the land? [1] What is the "
        "Bill of Rights? [2] Gallant met Hochstein. [3] The dock cost $230 "
        "million [4]."
    )
    assert [(c.text, c.cited) for c in claims] == [
        ("In the U.S., what is the supreme law of the land?", [1]),
        ("What is the Bill of Rights?", [2]),
        ("Gallant met Hochstein.", [3]),
        ("The dock cost $230 million.", [4]),
    ]


def test_figures_and_dates_are_read_in_their_normalised_form() -> None:
    assert figures_and_dates("It cost $230 million on January 4, 2024, for 1,200 people.") == {
        "230 million dollars",
        "2024-01-04",
        "1200",
    }
    assert figures_and_dates("No figure here.") == set()
