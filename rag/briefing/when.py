"""The dates a sentence states, resolved against the date of its article.

A timeline orders events by when they happened, not when they were reported: "Abe was shot on
Friday" in an article of Saturday 2022-07-09 happened on 2022-07-08. Written dates with a year
are taken as they are, and so are a month with a year and a bare year after "in" ("was in
2003"), standing at their first day; a month and day without a year take the article's year (the
year before when that would put an event told in the past after the article, the year after
when an event to come would fall before it), and a weekday written with it ("Monday, Oct. 13")
picks the year in which that day is that weekday; weekdays, "yesterday", "today" and "last
night" are counted back from the article's date, or forward when the sentence speaks of what
will happen ("will meet on Monday", "expected their release to come on Monday"), where the
article's own weekday is that day, "next Monday" a week on and "last Monday" a week back.
Which of the two is told by the verb the date belongs to, where one stands beside it
(`tense_at`): "officials said Thursday that France would build six reactors" reports
Thursday's statement, however much of the future the statement tells. The weekday after the
article's date is taken as the next day (a dateline a time zone behind the event), not six
days back; "Wednesday through Friday" is a span from the first, and a span told in the past
that starts the day after the dateline ("the poll, taken Friday through Tuesday", in
Thursday's paper) is last week's. "Due to" a cause ("closed Friday due to a storm") tells no
future. "USA TODAY" is an outlet, not a day. Sentences of undated articles keep only their
written dates with a year.

"Last week" stands at the week before the article's, labelled "week of" its Monday. A bare
year counts only in a sentence that tells the past and when it is not the article's own year:
"the 30th shooting in 2022" gives the period of a count, "the first since Matthew in 2016" a
comparison, neither the date of what the sentence reports.

A month without a year after "in", "since", "by" … ("spread more widely in May") is the
nearest such month on the side the sentence's tense says, standing at its first day.

A date written in a clause that only sets the scene ("since…", "after…", "where…", "that
had been set for…"), tells of someone ("Cotton, who was first elected in 2014") or compares
with another event ("as did Gordon Brown when he replaced Tony Blair in 2007"), in one that
describes a noun ("documents seized during the search on Aug. 8", "the injunction she issued
in 2019"), as part of a noun's name ("the January 6 committee", `names_a_noun`) or as what a
noun is related to ("records related to January 6", "an increase compared to Wednesday",
`relates_to_a_noun`) is marked `background`: the line's news is not of that day.

What this leaves out: spans ("between March and May"), times of day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from rag.text.dates import MONTH_NUMBERS, MONTHS, dates_in
from rag.text.verbs import FINITE

_WEEKDAY_NAMES = [d.lower() for d in calendar.day_name]
_WEEKDAY = re.compile(
    r"\b(?:(last|this|next|on|since|until|through|by)\s+)?("
    + "|".join(calendar.day_name)
    + r")\b(?!\s*,?\s*(?i:"
    + MONTHS
    + r")\b)"
)
_MONTH_DAY = re.compile(
    rf"\b({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}})"
    r"(?!\s*(?:million|billion|percent|%))(?!-)",
    re.I,
)  # not "October 7-style"
# lower case, or capitalised opening a sentence: "USA TODAY" and "USA Today" are a newspaper
_RELATIVE_DAY = re.compile(
    r"(?<!USA )\b((?i:y)esterday|(?i:t)oday|(?i:t)onight|(?i:l)ast night|(?i:t)his morning)\b"
)
_FUTURE = re.compile(
    r"\b(will|would|should|to be held|is set to|are set to|scheduled|slated|"
    r"plans? (?:to|on)|expect(?:s|ed|ing)?|likely to|due on|upcoming|"
    # "due to" an act to come ("due to arrive Monday"), not a cause ("due to imported rodents")
    r"due to (?:be|begin|start|arrive|open|close|end|take|return|expire|finish|launch|resume|"
    r"meet|vote|appear|testify|land|hold|release|report|announce|deliver|receive|sign|"
    r"reopen|make|hear|rule|decide|leave|visit|speak|give|go)|"
    r"(?:is|are) to|going to|poised to|aims? to|deadline|forecast|next)\b",
    re.I,
)
# a past event told without its year: "was", "were", "had" or "did" in the sentence
_TOLD_AS_PAST = re.compile(r"\b(was|were|had|did|last year)\b", re.I)
_WEEKDAY_BEFORE = re.compile(
    r"\b(" + "|".join(calendar.day_name) + r")\s*,?\s*$"
)  # "Monday, " before "Oct. 13"
# a weekday a span goes on from ("Saturday through Monday", "Saturday and Sunday")
_SPAN_GOES_ON = re.compile(
    r"\s*(?:through|to|until|and|-|–)\s*(?:" + "|".join(calendar.day_name) + r")\b"
)
_LAST_WEEK = re.compile(r"\b(?i:l)ast week\b")
_LAST_MONTH = re.compile(r"\b(?i:l)ast month\b")
SOON_DAYS = 14  # a month and day this close after the article is to come, not last year's
# a year as news writes one, not the first half of a span ("2021-22", "2019/20")
_A_YEAR = r"(?:1[89]|20)\d\d\b(?![-–/]\d)"
# a bare year is an event's date after "in" ("the last outbreak was in 2003"), not in a span
# ("2021-22"), a name ("in 2022 Stanley Cup playoffs") or "since 2001" (what happened then
# is not the news: "their first Stanley Cup since 2001")
_IN_YEAR = re.compile(
    r"\b(?i:in)\s+(" + _A_YEAR + r")(?!\s+[A-Z])"
    r"(?!\s*(?:%|percent))"
)
# a month named without its year after a preposition ("spread more widely in May"): the
# capital keeps the verb "may" out
_IN_MONTH = re.compile(
    r"\b(?i:in|since|until|by|from|early|late|mid-?)\s*("
    + "|".join(m for m in calendar.month_name if m)
    + r")\b(?!\s*,?\s*\d)"
)
_MONTH_YEAR = re.compile(
    r"\b(?i:in|since|by|from|until)\s+("
    + "|".join(m for m in calendar.month_name if m)
    + r")\s+((?:19|20)\d\d)\b"
)


# A clause that sets the scene for the line's news rather than telling it: "Since the first
# case was found in mid-May, more than 6,600…", "after Ian slammed into Fort Myers on
# Wednesday", "in Uvalde, where a gunman killed 21 on May 24", "the trial that had been set for
# Oct. 17", tells of someone named in it ("Chen Quanguo, who was promoted in 2016 to head
# Xinjiang", "Pincher, who was accused of groping two men last week") or compares it with
# another event ("would remain in post, as did his predecessors when they resigned in May
# 2019", "as was the case in 1976"). Its date is the background's, not the event's. "after
# 11 a.m." is a time, not a clause.
_BACKGROUND = re.compile(
    r"\b(?i:since|after(?!\s+(?:\d|(?:noon|midnight|dark|dawn|sunset|sunrise)\b))|where|"
    r"(?:that|which) (?:had )?been|as (?:did|was|were|had|has|have|does|do|is|are) |"
    r"who (?:was|were|had)\b)\b"
)
_CLAUSE_END = re.compile(r"[,;:()—–]|\s-\s")
# Words after which a participle is a verb of the sentence ("was seized", "had issued",
# "fatally shot", "alone canceled"), not a description of the noun before it.
_NOT_A_NOUN = (
    r"(?:is|are|was|were|be|been|being|has|have|had|having|get|gets|got|not|never|also|then|"
    r"just|now|again|still|even|once|twice|only|later|first|since|already|alone|as|who|"
    r"that|which|and|or|but|they|he|she|it|we|i|you|"
    r"[a-z]+ly)"
)
# Participles of acts done to something, which after a noun describe that noun rather than
# tell the line's news: "documents seized during the search on Aug. 8", "the 15 boxes provided
# to the National Archives in May", "a lawsuit filed in January". Verbs a subject often does
# itself ("the school moved", "the site opened", "the company reported") are left out, and so
# are "scheduled for" and "set for": a date to come is that event's ("a new launch date
# scheduled for September 27").
_DONE_TO = (
    r"(?:seized|taken|provided|handed|issued|signed|filed|passed|approved|enacted|imposed|"
    r"granted|ordered|obtained|recovered|removed|collected|submitted|sent|published|leaked|"
    r"unsealed|given|written|introduced|proposed|adopted|reached|brokered|killed|injured|"
    r"wounded|arrested|detained|indicted|convicted|sentenced|conducted|"
    r"confiscated|retrieved|delivered|discovered|carried out|handed down)"
)
# A noun described by a clause of its own before the date: a participle after a lower-case
# noun ("documents seized during …", "documents initially recovered from …"), a clause of
# what happened ("the violence that occurred at the Capitol on January 6"), or a relative
# clause with no "that" ("the injunction she issued in 2019", "the ruling it handed down in
# June").
_DESCRIBES_A_NOUN = re.compile(
    rf"\b(?!{_NOT_A_NOUN}\b)[a-z][\w'’-]*\s+(?:[a-z]+ly\s+)?{_DONE_TO}\s*"
    r"(?:by|during|in|on|at|to|for|from|with|into|under|last|earlier|before)\b|"
    r"\b(?:that|which)\s+(?:had\s+)?(?:occurred|happened|took place|unfolded|erupted)\s+"
    r"(?:[a-z][\w'’-]*\s+){0,4}?(?:on|in|at|during)\b|"
    r"\b(?i:the|a|an|its|their|his|her)\s+(?:[a-z][\w'’-]*\s+){0,2}?"
    r"(?!(?:that|which|who|when|where|as|if|because|after|before|while)\b)[a-z][\w'’-]*\s+"
    r"(?:she|he|they|it|we)\s+(?:had\s+)?[a-z]+ed\b"
)
# a verb in the present before the words that follow one: "Trump seeks to halt …", "the
# affidavit shows that …"
_PRESENT_VERB = re.compile(r"\b[a-z]{3,}s\s+(?:to|that|the|a|an|his|her|their|its)\b")
# a word that puts the noun after it inside the sentence's predicate: a preposition, or a verb
_BEFORE_AN_OBJECT = re.compile(
    r"\b(?:of|from|to|in|on|for|with|about|against|by|into|under|over|at|than|like|"
    r"is|are|was|were|be|been|has|have|had|\w+ed|\w+s)\b"
)
# The verb a date belongs to, where it stands next to it: a past form ("said Thursday", "told
# CNN on Monday", "announced in a statement Friday") or one a modal or "to" governs ("will
# meet on Monday", "to come on Monday", "will be released Monday"). Forms that are as often
# present or a noun ("set", "put", "hit", "cut", "read") are not taken for the past.
_PAST_FORM = re.compile(
    r"(?:was|were|had|did|said|told|took|rose|fell|came|went|began|became|grew|saw|gave|got|"
    r"made|led|left|won|lost|ran|sank|stood|held|kept|sent|brought|found|met|paid|sold|spent|"
    r"built|struck|fought|caught|chose|drove|flew|wrote|spoke|broke|shot|fled|threw|knew|drew|"
    r"sought|taken|given|written|seen|shown|done|known|chosen|spoken|broken|stolen|driven|"
    r"begun|sworn|thrown|drawn|grown|[a-z]+ed)"
)  # lower case: "United", "Ted" are names
_GOVERNS_A_FUTURE = {"will", "would", "shall", "to", "'ll", "’ll", "could", "might", "may", "must"}
_OPENS_A_CLAUSE = {"that", "whether", "if", "because", "while", "when", "where", "which", "who"}
_LOOKS_AHEAD = {"starting", "beginning", "effective"}  # "said starting Monday, masks will be…"
_SEQUENCE = {"followed", "preceded"}  # "followed by": what comes next, not a past act
_DETERMINERS = {"a", "an", "the", "its", "their", "his", "her", "our", "this", "that", "these"}
_OPENS_A_DATE = {"on", "early", "late", "by", "until", "since", "as", "of", "from", "and", "but"}
# how far from a date the verb it belongs to may stand: before it ("said in a news release
# Friday"), or after it where the date opens its clause ("On Monday, Biden said …")
_VERB_NEAR_WORDS = 5
# Words that relate a noun to a date rather than tell an act of that day: "records related to
# January 6", "charges connected to the Jan. 6 riot", "the return associated with Monday's
# jackpot", "an increase of 427 compared to Wednesday", "denied wrongdoing regarding January
# 6". The date is what the noun is about.
_RELATES = frozenset(
    "associated connected related unrelated linked tied compared attributed dedicated devoted "
    "similar relating pertaining".split()
)
_RELATED_DATE = re.compile(
    r"\b(?:(?:" + "|".join(sorted(_RELATES)) + r")\s+(?:with|to)|"
    r"regarding|concerning|surrounding|involving)\s+(?:the\s+)?$",
    re.I,
)
_FINITE_WITHIN_WORDS = 4  # after the date, how near a described subject's verb must come
_DESCRIBED_WITHIN_WORDS = 8  # how near the date must follow the clause that describes a noun


def tense_at(text: str, start: int, end: int) -> bool | None:
    """Whether the date written from `start` to `end` is of an event to come (True), of one
    past (False), or neither as far as the verb it belongs to tells (None: the sentence's own
    tense decides). That verb is the nearest before the date within its clause, a few words
    back, or, where the date opens its clause, the first after it: a past form is the past
    ("said Thursday that France would…", "announced in a statement Friday", "On Monday,
    Biden said…") unless a modal or "to" governs it ("will be released Monday", "to be
    freed on Monday"); a modal or a word of `_FUTURE` is to come ("will meet on Monday",
    "expected their release to come on Monday")."""
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    before = re.findall(r"[\w'’]+", text[clause_start:start])
    lowered = [w.lower() for w in before]
    if lowered[-2:] == ["as", "of"] or (lowered and lowered[-1] in _LOOKS_AHEAD):
        before = lowered = []  # "as of Tuesday there will be…": the date leads on
    for i in range(len(before) - 1, max(-1, len(before) - 1 - _VERB_NEAR_WORDS), -1):
        word = lowered[i]
        if word in _OPENS_A_CLAUSE:
            return None  # a clause of its own begins: "said that on Monday the team would…",
            # "When asked whether Sunday's game will be his last"
        if _FUTURE.fullmatch(word):
            return True
        if word in _SEQUENCE:
            return None  # "a wake on Monday, followed by a service on Tuesday"
        if word in _RELATES and lowered[i + 1 : i + 2] in (["with"], ["to"]):
            return None  # "the return associated with Monday's jackpot": no act of that day
        if _PAST_FORM.fullmatch(before[i]) and not (i and lowered[i - 1] in _DETERMINERS):
            # not an adjective ("an increased fire threat")
            return _governed(before[:i])
    if any(w not in _OPENS_A_DATE for w in lowered):
        return None  # no verb near before it, and the clause did not open with the date
    for word in re.findall(r"[\w'’]+", text[end:])[:_VERB_NEAR_WORDS]:
        if _FUTURE.fullmatch(word):
            return True
        if _PAST_FORM.fullmatch(word):
            return False
    return None


def _governed(words: list[str]) -> bool | None:
    """The tense of a past form that follows `words`: to come after a modal or "to" with
    "be" ("will be released", "to be freed"), past after "been" or a subject, and the
    sentence's own after a bare "be", "being" or "is" (a passive in the present), or right
    after "to" or a modal, where it is no verb but a noun's description ("opened to limited
    access on May 15")."""
    last = [w.lower() for w in words[-2:]]
    if last and last[-1] in _GOVERNS_A_FUTURE | {"being", "is", "are", "am"}:
        return None  # a passive in the present tells no past: "if the opening is delayed"
    if last and last[-1] == "be":
        return True if len(last) == 2 and last[0] in _GOVERNS_A_FUTURE else None
    return False


def relates_to_a_noun(text: str, at: int) -> bool:
    """Whether the date written at `at` is what a noun is related to ("records related to
    January 6", "charges connected to the Jan. 6 riot", "an increase of 427 compared to
    Wednesday"): a reference, not the day of the line's news."""
    return _RELATED_DATE.search(text, max(0, at - 40), at) is not None


def sets_the_scene(text: str, at: int) -> bool:
    """Whether the date written at `at` lies in a clause that sets the scene (`_BACKGROUND`:
    the stretch of its clause before it holds "since", "after", "where", "that had been",
    "who was" or "as did")."""
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, at)), default=0)
    return _BACKGROUND.search(text, clause_start, at) is not None


def describes_a_noun(text: str, at: int, end: int | None = None) -> bool:
    """Whether the date written at `at` (ending at `end`) lies in a clause that describes a
    noun (`_DESCRIBES_A_NOUN`: "documents seized during the search on Aug. 8"). The described
    noun's clause holds the date only where no verb of the sentence's own comes between them,
    and, where the noun is the clause's subject ("a lawsuit filed in January will be heard"),
    where the sentence's verb follows the date (else the "described" noun was the subject
    doing the act: "the company reported on Tuesday"). Not for a weekday or "yesterday"
    (`stated_dates`): a statement "issued on Monday", a bill "approved by lawmakers Tuesday" is
    that week's news itself, where a lawsuit "filed in 2014" or documents "seized … on Aug. 8"
    are its background. "as of Wednesday" is the date of the sentence's own state."""
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, at)), default=0)
    described = list(_DESCRIBES_A_NOUN.finditer(text, clause_start, at))
    if not described or re.search(r"\bas of\s*$", text[:at]):
        return False
    last = described[-1]
    if len(text[last.end() : at].split()) > _DESCRIBED_WITHIN_WORDS:
        return False  # too far on to still describe that noun
    if FINITE.search(text, last.end(), at):
        return False
    rest = text[: last.start()] + " " + text[last.end() :]
    if not (FINITE.search(rest) or _PRESENT_VERB.search(rest)):
        return False  # its only verb: "A draft of the opinion leaked in May."
    if _BEFORE_AN_OBJECT.search(text, clause_start, last.start()):
        return True
    after = text[end if end is not None else at :].split()[:_FINITE_WITHIN_WORDS]
    return FINITE.search(" ".join(after)) is not None


# Words that may follow a date without the date naming them: "on June 9 at 8 p.m.", "on
# January 6 the mob…", "May 24 was…"
_NOT_NAMED = frozenset(
    "the a an and or but nor at in on of to for from by with as when while after before until "
    "through that which who whom where his her their its this these those is are was were be "
    "been will would can could may might must shall should has have had do does did he she "
    "they it we i you no not than if so because then there here also about during following "
    "between under near amid amidst due per over against into among along alone just despite "
    "within without across around toward towards beyond since via including versus up out "
    "off down only even ago later earlier already still yet too many some most all more few "
    "several both each every any".split()
)
# before a date that is the act the line reports ("in a March 18 letter"), or when something
# happens ("a state funeral on September 19 honoring her lifetime")
_A_NEW_THING = re.compile(
    r"\b(?i:a|an|his|her|their|its|our|my|your|on|in|by|until|since|from|at|before|after|"
    r"through|during|till)\s+$"
)
_NEXT_WORD = re.compile(r"(?:st|nd|rd|th)?\s+([a-z][a-z-]*)\b")


def names_a_noun(text: str, start: int, end: int) -> bool:
    """Whether the date from `start` to `end` is written as part of a noun's name: "the
    January 6 committee", "January 6 hearings", "the Oct. 7 attack", "the May 24 shooting".
    The line's news is not of that day (a committee's hearing in June is not of January 6,
    nor of next January's): the date names what the noun is about, as a date in a clause
    describing a noun does. Not after "a" or a possessive pronoun ("in a March 18 letter",
    "her June 1 episode" are the act the line reports, of that day), nor after a preposition
    ("a funeral on September 19 honoring her" happens that day)."""
    after = _NEXT_WORD.match(text, end)
    if after is None or _A_NEW_THING.search(text, 0, start):
        return False
    word = after.group(1)
    return not (word in _NOT_NAMED or FINITE.fullmatch(word) or word.endswith("ly"))


# A time told against another event, which no calendar date stands for ("a month after her
# sister's death", "two years later", "decades ago", "the previous day"), and any year
# written in the line.
_RELATIVE_SPAN = re.compile(
    r"\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+|several|a few|many)\s+"
    r"(?:days?|weeks?|months?|years?|decades?)\s+(?:after|before|later|earlier|ago)\b|"
    r"\b(?:years|decades) ago\b|"
    r"\bthe (?:previous|following|next) (?:day|night|morning|week)\b|\bthe (?:day|night) before\b",
    re.I,
)
_ANY_YEAR = re.compile(r"\b" + _A_YEAR + r"(?!\s*(?:%|percent))")


def speaks_of_what_is_to_come(text: str) -> bool:
    """Whether `text` tells of the future ("will", "expected to", "is set to" …) and not of
    the past ("was", "had"): what it reports has not happened by its article's date."""
    return _FUTURE.search(text) is not None and _TOLD_AS_PAST.search(text) is None


def tells_a_relative_time(text: str) -> bool:
    """Whether `text` places what it reports against another event ("a month after her
    sister's death", "two years later"), which no calendar date stands for."""
    return _RELATIVE_SPAN.search(text) is not None


def tells_its_own_time(text: str, published: date) -> bool:
    """Whether `text` places what it reports at a time of its own that it does not date: a
    time told against another event ("A month after her sister's death, the palace announced
    the death of the Queen Mother") or a year other than its article's ("The 2003 outbreak
    was the first…"). Such a line is not news of its article's day."""
    if tells_a_relative_time(text):
        return True
    return any(int(m.group(0)) != published.year for m in _ANY_YEAR.finditer(text))


@dataclass(frozen=True)
class Stated:
    """A date a sentence states: the day, and how it was written ("Friday", "July 8")."""

    day: date
    written: str
    # a span's last day ("in January 2024", "in 2003", "last week": `day` is its first);
    # None for a day
    through: date | None = None
    sets_scene: bool = False  # written in a clause that sets the scene (`sets_the_scene`)
    of_a_noun: bool = False  # written in a clause that describes a noun (`describes_a_noun`)
    past_by_its_verb: bool = False  # the verb beside it is in the past (`tense_at`)

    @property
    def background(self) -> bool:
        """Whether the line's news is not of this date (the scene, or a noun's own date)."""
        return self.sets_scene or self.of_a_noun

    @property
    def month_only(self) -> bool:
        """Whether it names a span (a week, a month, a year) rather than a day."""
        return self.through is not None

    @property
    def label(self) -> str:
        if self.month_only:
            return self.written
        iso = self.day.isoformat()
        return iso if self.written == iso else f"{iso} ({self.written})"

    @property
    def last_day(self) -> date:
        """The last day of what it names (what happened "in June 1953" may have happened
        on June 30)."""
        return self.through or self.day


def _month(year: int, month: int, written: str) -> Stated:
    """A month named: from its first day through its last."""
    last = calendar.monthrange(year, month)[1]
    return Stated(date(year, month, 1), written, through=date(year, month, last))


def stated_dates(text: str, published: date | None) -> list[Stated]:
    """Every date `text` states, resolved against `published` (see the module docstring)."""
    found: list[Stated] = []
    taken: list[tuple[int, int]] = []
    told_as_past = _TOLD_AS_PAST.search(text) is not None

    def add(
        start: int, end: int, stated: Stated, of_a_noun: bool = True, past: bool | None = None
    ) -> None:
        """Keep `stated` unless an earlier date covers its words; `past` is whether the verb
        beside it is past, where the caller already read `tense_at` to place the date (read
        here otherwise)."""
        if not any(s < end and start < e for s, e in taken):
            taken.append((start, end))
            scene = sets_the_scene(text, start)
            noun = not scene and (
                relates_to_a_noun(text, start)
                or (
                    of_a_noun
                    and (describes_a_noun(text, start, end) or names_a_noun(text, start, end))
                )
            )
            if past is None:
                past = tense_at(text, start, end) is False
            found.append(replace(stated, sets_scene=scene, of_a_noun=noun, past_by_its_verb=past))

    for start, end, stated_day in dates_in(text):
        add(start, end, Stated(stated_day, text[start:end]))
    for m in _MONTH_YEAR.finditer(text):
        month = list(calendar.month_name).index(m.group(1))
        add(
            m.start(1),
            m.end(),
            _month(int(m.group(2)), month, f"{m.group(1)} {m.group(2)}"),
        )
    for m in _IN_YEAR.finditer(text):
        year = int(m.group(1))
        # a bare year is an event's date in a sentence that tells the past ("the last outbreak
        # was in 2003"), not the period of a count ("the 30th shooting in 2022") nor a
        # comparison ("the first since Matthew in 2016", "matching Charley in 2004")
        if published is not None and (year == published.year or not told_as_past):
            continue
        add(m.start(1), m.end(1), Stated(date(year, 1, 1), m.group(1), date(year, 12, 31)))
    if published is None:
        return found
    future = bool(_FUTURE.search(text))
    for m in _IN_MONTH.finditer(text):  # the nearest such month on the side the tense says
        month = list(calendar.month_name).index(m.group(1))
        year = published.year
        if not future and month > published.month:
            year -= 1
        elif future and month < published.month:
            year += 1
        add(m.start(1), m.end(), _month(year, month, f"{m.group(1)} {year}"))
    for m in _MONTH_DAY.finditer(text):
        month, day = MONTH_NUMBERS[m.group(1).lower().rstrip(".")], int(m.group(2))
        named = _WEEKDAY_BEFORE.search(text[max(0, m.start() - 12) : m.start()])
        # the verb beside the date may keep a day already gone in this year ("the invasion
        # began on February 24" is not next February), never move one otherwise: an
        # adjective ("remain closed until June 8", "opened to limited access on May 15")
        # reads as a verb often enough that a later day would go to last year, or next
        tense = tense_at(text, m.start(), m.end())
        gone = (month, day) <= (published.month, published.day)
        here = False if tense is False and gone else future
        when = _month_day(published, month, day, here, told_as_past)
        if named:  # "Monday, Oct. 13": the year in which Oct. 13 is a Monday, nearest first
            weekday = _WEEKDAY_NAMES.index(named.group(1).lower())
            when = _named_weekday_year(published, month, day, weekday) or when
        if when is None:
            continue
        add(m.start(), m.end(), Stated(when, m.group(0)), past=tense is False)
    span_start: date | None = None  # the weekday before "through" ("Wednesday through Friday")
    for m in _WEEKDAY.finditer(text):
        word, name = (m.group(1) or "").lower(), m.group(2)
        target = _WEEKDAY_NAMES.index(name.lower())
        tense = tense_at(text, m.start(), m.end())
        here = future if tense is None else tense
        ahead = word in {"next", "until", "through", "by"} or (
            here and word not in {"last", "since"}
        )
        if (
            word == "through"
            and span_start is not None
            and _WEEKDAY_BEFORE.search(text[: m.start()])
        ):
            when = span_start + timedelta(days=(target - span_start.weekday()) % 7)
        elif ahead:
            days = (target - published.weekday()) % 7  # "on Wednesday" in Wednesday's paper
            when = published + timedelta(days=days or (7 if word == "next" else 0))
        elif (published.weekday() + 1) % 7 == target and not (
            tense is False and _SPAN_GOES_ON.match(text, m.end())
        ):
            # the day after the dateline is "Friday" abroad while it is still Thursday where
            # the article was dated (Abe was shot on Friday in Nara; USA Today dated the news
            # Thursday): a day of time zone, not six days back; not where a span of days
            # that the verb beside it tells as past starts on it ("the poll, taken Friday
            # through Tuesday" in Thursday's paper; a schedule, "open Friday through Sunday",
            # is to come)
            when = published + timedelta(days=1)
        else:
            back = (published.weekday() - target) % 7
            # "last Thursday" in Thursday's paper is a week back; "on Thursday" is that day
            when = published - timedelta(days=back or (7 if word == "last" else 0))
        span_start = when
        add(m.start(2), m.end(2), Stated(when, name), of_a_noun=False, past=tense is False)
    for m in _LAST_WEEK.finditer(text):  # the Monday of the week before the article's
        monday = published - timedelta(days=published.weekday() + 7)
        week = Stated(monday, f"week of {monday.isoformat()}", monday + timedelta(days=6))
        add(m.start(), m.end(), week)
    for m in _LAST_MONTH.finditer(text):  # the month before the article's
        last = published.replace(day=1) - timedelta(days=1)
        add(
            m.start(),
            m.end(),
            _month(last.year, last.month, f"{calendar.month_name[last.month]} {last.year}"),
        )
    for m in _RELATIVE_DAY.finditer(text):
        word = m.group(1).lower()
        when = published - timedelta(days=1) if word in {"yesterday", "last night"} else published
        add(m.start(), m.end(), Stated(when, m.group(1)), of_a_noun=False)
    return sorted(found, key=lambda s: s.day)


def _month_day(
    published: date, month: int, day: int, future: bool, told_as_past: bool
) -> date | None:
    """A month and day without a year, in the year the sentence's tense puts it: an event to
    come is not before the article (else next year's), an event told as past is not after it
    (else last year's); a date up to `SOON_DAYS` after the article, in a sentence that says
    neither, is to come ("The trial opens Oct. 13")."""
    try:
        when = date(published.year, month, day)
        if future and when < published - timedelta(days=7):
            return date(published.year + 1, month, day)
        if not future and when > published:
            soon = when - published <= timedelta(days=SOON_DAYS) and not told_as_past
            return when if soon else date(published.year - 1, month, day)
        return when
    except ValueError:  # Feb. 29 outside a leap year, Sept. 31
        return None


def _named_weekday_year(published: date, month: int, day: int, weekday: int) -> date | None:
    """The month and day in the year nearest the article's in which it falls on `weekday`."""
    for year in (published.year, published.year + 1, published.year - 1):
        try:
            when = date(year, month, day)
        except ValueError:
            continue
        if when.weekday() == weekday:
            return when
    return None
