"""A conversation over the seeds, offline: a topic switch stays on its own topic, a pronoun
follow-up and an elliptical one are read with the question before them, and each turn
answers its own question only."""

from __future__ import annotations


def _ask_in_turn(seeded, questions: list[str]) -> list[tuple[str, object]]:
    history: list[str] = []
    out = []
    for question in questions:
        turn = seeded.next_turn(history, question)
        out.append((turn.searched, seeded.ask(turn.question, mode="extractive", topic=turn.topic)))
        history.append(turn.searched)
    return out


def test_topic_switch_pronoun_and_ellipsis(seeded) -> None:
    turns = _ask_in_turn(
        seeded,
        [
            "How much did the temporary Gaza pier cost?",
            "Who is Mohammed Deif?",  # a new topic: never joined to the pier
            "What did Gallant call him?",  # "him" is Deif
            "and what did Austin confirm?",  # elliptical: leans on the turn before
        ],
    )
    (q1, pier), (q2, deif), (q3, called), (q4, austin) = turns
    assert pier.answer.startswith("The $230 million floating dock")
    assert q2 == "Who is Mohammed Deif?"
    assert "head of Hamas’s terror army" in deif.answer and "pier" not in deif.answer
    assert q3 == "Who is Mohammed Deif? What did Gallant call him?"
    assert "Osama bin Laden of Gaza" in called.answer
    assert q4.endswith("and what did Austin confirm?") and q4.startswith(q3)
    assert not austin.abstained


def test_a_follow_up_is_answered_alone_not_as_a_part_after_the_previous_question(seeded) -> None:
    # found using `rag chat`: the follow-up was answered as part 2 of a two-part question,
    # so every turn repeated the answers before it (three numbered parts by the third turn)
    turns = _ask_in_turn(
        seeded,
        [
            "Why is the temporary Gaza pier shutting down?",
            "How much did it cost?",
            "and what did Austin say?",
        ],
    )
    (_, why), (q2, cost), (q3, said) = turns
    assert q2 == "Why is the temporary Gaza pier shutting down? How much did it cost?"
    assert cost.question == "How much did it cost?"
    assert cost.answer.startswith("The $230 million floating dock")
    # "How much did it cost?" only pointed back at the pier: the next follow-up leans on the
    # question that named it, so what is searched does not grow by a question each turn
    assert q3 == "Why is the temporary Gaza pier shutting down? and what did Austin say?"
    assert not said.abstained and not said.answer.startswith("1.")
    assert "\n2." not in cost.answer + said.answer


def test_a_several_part_question_after_a_related_one_keeps_every_part(seeded) -> None:
    turn = seeded.next_turn(["What did Gallant and Austin discuss?"],
                            "How much did the Gaza pier cost and when will it close?")  # fmt: skip
    assert turn.topic == ""  # it stands alone: not glued onto the previous question
    answer = seeded.ask(turn.question, topic=turn.topic)
    assert "$230 million" in answer.answer
    assert "1. How much did the Gaza pier cost?" in answer.answer  # each part answered
    assert "2. When will it close?" in answer.answer


def test_a_follow_up_gets_its_own_answer_not_the_one_before_it(seeded) -> None:
    """The reader was given the earlier question and the follow-up together and answered
    the earlier one: "and when did it start operating?" after the pier's cost got
    **October 7** (a date of the war), and the second part of a question was answered with
    the first part's sentence."""
    (_, cost), (_, began) = _ask_in_turn(
        seeded, ["How much did the Gaza pier cost?", "and when did it start operating?"]
    )
    assert cost.short_answer == "$230 million"
    assert began.short_answer in {"May", "in May"}  # a date, not the war's October 7
    assert "since operations began in May" in began.citations[0].quote
    both = seeded.ask("Who did Gallant talk to on the phone and what did they agree on?")
    second = both.answer.split("\n2. ")[1]
    assert second.startswith("What did they agree on? — Both men agreed on the importance")


def test_who_paid_after_the_cost_is_not_answered_with_the_cost(tmp_path) -> None:
    """Found walking the demo: after "How much did the port of Zarqa dredging cost?", "and
    who paid for it?" was answered **$7 million**."""
    from rag import Assistant, Settings
    from tests.helpers.hostile import markup_articles

    folder = markup_articles(tmp_path / "articles", "http://127.0.0.1:9")
    assistant = Assistant.from_settings(Settings(data_dir=tmp_path / "data"))
    assistant.ingest([folder], progress=False)
    cost = "How much did the port of Zarqa dredging cost?"
    turn = assistant.next_turn([cost], "and who paid for it?")
    paid = assistant.ask(turn.question, topic=turn.topic)
    assert assistant.ask(cost).short_answer == "$7 million"
    assert paid.short_answer != "$7 million" and "$7 million**" not in paid.answer


def test_a_short_question_typed_in_lower_case_that_names_something_stands_alone(seeded) -> None:
    """Walking the chat, "who commands centcom" after another question was searched with it:
    three words and no capital read as naming nothing, like "and the cost?". A word the store
    always writes as a name ("Rafah") now counts as a name however it is typed."""
    earlier = ["How much did the Gaza pier cost?"]
    alone = seeded.next_turn(earlier, "where is rafah")
    assert alone.topic == "" and alone.searched == "where is rafah"
    leaning = seeded.next_turn(earlier, "and the cost?")
    assert leaning.topic == "How much did the Gaza pier cost?"
