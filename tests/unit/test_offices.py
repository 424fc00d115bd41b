"""A question asking who holds an office is not answered by someone holding another one."""

from __future__ import annotations

from rag.text.offices import Office, asked_office, holds_another_office, offices_of
from rag.text.question import Question

# Shaped like the wire copy the seeds hold: titles before names, an appositive, a list of
# attendees where each title belongs to the name after it.
PASSAGE = (
    "The talks at the ministry in Haifa were attended by Navy Chief of Staff Lt. Gen. Dana "
    "Orbach, Israel’s ambassador to the US Ruth Malkin, and other officials. Defense Minister "
    "Avi Tamar told US special envoy to the region Carl Whitby that time was short. Israeli "
    "Defense Minister Avi Tamar spoke later. Whitby met with Lebanese Foreign Minister Omar "
    "Haddad. Carl Whitby, US special envoy to the region, said talks would go on."
)


def test_the_office_whose_holder_a_question_asks_for() -> None:
    us_to_lebanon = asked_office("Who was the U.S. ambassador to Lebanon during these talks?")
    assert us_to_lebanon == Office(
        "ambassador", serves=frozenset({"us"}), sent_to=frozenset({"lebanon"})
    )
    assert asked_office("who's lebanon's prime minister") == Office(
        "minister", portfolio=frozenset({"prime"}), serves=frozenset({"lebanon"})
    )
    assert asked_office("which lebanese minister did whitby meet") == Office(
        "minister", serves=frozenset({"lebanon"})
    )
    # "United States", "U.S." and "American" are one country; "of State" is a portfolio
    assert asked_office("Who is the United States ambassador?") == asked_office(
        "who's the american ambassador"
    )
    assert asked_office("Who is the Secretary of State?") == Office(
        "minister", portfolio=frozenset({"foreign"})
    )
    # no holder asked: the office is the subject, its holder is named, it is of another time,
    # or the words before the title are not an office's
    for question in (
        "who did the US envoy meet?",
        "Who is Defense Minister Tamar?",
        "who was the former ambassador to Lebanon?",
        "Which Hezbollah commander was killed in Beirut?",
        "How much did the pier cost?",
    ):
        assert asked_office(question) is None, question


def test_the_offices_a_passage_gives_a_name_before_it_and_after_it() -> None:
    malkin = offices_of("Ruth Malkin", PASSAGE)
    assert malkin == [Office("ambassador", serves=frozenset({"israel"}), sent_to=frozenset({"us"}))]
    # two mentions of one title are one office: the country said in one of them holds
    assert offices_of("Avi Tamar", PASSAGE) == [
        Office("minister", portfolio=frozenset({"defense"}), serves=frozenset({"israel"}))
    ]
    # an appositive after the name; the title of the sentence before is not his
    assert offices_of("Carl Whitby", PASSAGE) == [Office("envoy", serves=frozenset({"us"}))]
    # ranks and first names are passed over; in a list, ", Israel’s ambassador …" is the next
    # person's title, not an appositive of this one
    assert offices_of("Dana Orbach", PASSAGE) == [Office("chief of staff")]
    assert offices_of("the ministry", PASSAGE) == []


def test_an_office_said_with_as_or_is_and_across_a_missing_space() -> None:
    """Real pages: "will nominate Bridget Brink as US ambassador to Ukraine.The post …" (no
    space after the full stop) answered "who is the us ambassador to russia"."""
    text = (
        "Biden said he will nominate Lena Varga as US ambassador to Ukraine.The post has been "
        "empty since May. Varga is the current US ambassador to Slovakia."
    )
    assert offices_of("Lena Varga", text) == [
        Office("ambassador", serves=frozenset({"us"}), sent_to=frozenset({"ukraine", "slovakia"}))
    ]
    to_russia = asked_office("who is the us ambassador to russia")
    assert holds_another_office(to_russia, "Lena Varga", text)
    assert not holds_another_office(
        asked_office("who is the US ambassador to Ukraine?"), "Lena Varga", text
    )
    # "is a former ambassador" is an office of another time: none
    assert offices_of("Varga", "Varga is a former ambassador to Russia.") == []


def test_someone_given_another_office_does_not_answer_who_holds_this_one() -> None:
    asked = asked_office("Who was the U.S. ambassador to Lebanon during these talks?")
    # Israel's ambassador to the US, a US envoy, a minister: none is the one asked for
    for name in ("Ruth Malkin", "Carl Whitby", "Avi Tamar", "Omar Haddad"):
        assert holds_another_office(asked, name, PASSAGE), name
    lebanese_minister = asked_office("which lebanese minister did whitby meet")
    assert holds_another_office(lebanese_minister, "Avi Tamar", PASSAGE)  # Israel's
    assert not holds_another_office(lebanese_minister, "Omar Haddad", PASSAGE)
    # a name the passages give no office could be anyone; a question asking no office rules
    # out no one
    assert not holds_another_office(asked, "Nadia Sabbagh", PASSAGE + " Nadia Sabbagh spoke.")
    assert not holds_another_office(None, "Ruth Malkin", PASSAGE)


def test_offices_conflict_only_where_both_say() -> None:
    minister = Office("minister")
    assert not minister.conflicts(
        Office("minister", frozenset({"foreign"}), frozenset({"lebanon"}))
    )
    assert minister.conflicts(Office("envoy"))
    foreign = Office("minister", portfolio=frozenset({"foreign"}))
    assert foreign.conflicts(Office("minister", portfolio=frozenset({"defense"})))
    swapped = Office("ambassador", serves=frozenset({"us"}), sent_to=frozenset({"israel"}))
    assert swapped.conflicts(
        Office("ambassador", serves=frozenset({"israel"}), sent_to=frozenset({"us"}))
    )


def test_the_question_reads_its_office_from_the_sentence_that_asks() -> None:
    question = Question.parse("Whitby flew in on Monday. Who is the US ambassador to Israel?")
    assert question.office == Office(
        "ambassador", serves=frozenset({"us"}), sent_to=frozenset({"israel"})
    )
    assert Question.parse("who did whitby meet").office is None
