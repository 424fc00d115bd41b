"""Which sentences may stand as a line of a briefing.

A briefing is forwarded, so a line must read as reporting: not a photo caption ("Hide Caption
3 of 16 Photos: …", "(Getty Images)", or unmarked: "Fans react after … in Bogotá."), a headline ("In
pictures: Former Japanese Prime Minister Shinzo Abe"), a call to action ("Read more", "Sign up for
the newsletter"), a fragment cut from a sentence (no verb-bearing length, no closing punctuation,
starting lower-case), and not a sentence that needs the one before it to be read: a question (an
article's sub-heading, "What government services will be impacted by shutdown?"), an opening
pronoun whose person is named elsewhere ("He spoke in the Knesset…": who?), a word that joins
it to what came before ("Meaning, the shutdown will end…", "But the talks…") or points back to
what it named ("The decision follows…", "such outbreaks", "both massacres"); nor words in
quotes that the sentence cuts off or that no one in it says, nor a line saying only that
someone did not comment. `is_credit` tells a line that is only a picture's credit, which
answers nothing either. `is_quoted_remark` tells a remark in quotes (a view) from a line of
fact, and `is_view` any view (a commentator's take, speculation) from a line of fact, for what
a followed topic lists as news. `leans_on_another_sentence` tells, among lines of reporting,
those a reader cannot read on their own (a summary, key points, what changed): a title or an
act ("The president…", "the tactic") whose who or what is in another sentence.

What this leaves out: parsing grammar, the checks being on the surface of the text; whether a
line is about the briefing's topic (`rag.answering.topic`).
"""

from __future__ import annotations

import re

from rag.text.descriptions import TITLE_WORDS
from rag.text.figures import puts_an_amount
from rag.text.sentences import asks
from rag.text.verbs import SPEECH, VERB_FORMS

_FURNITURE = re.compile(
    r"^(?:this|the|a|an) (?:[\w-]+ )?(?:picture|photo|image|file photo|video)s? (?:shows?|of)\b|"
    r"^(?:this|the|a) (?:picture|photo|image|file photo|video)\b|"
    r"^(?:this|an?) (?:aerial |satellite |drone )?view shows\b|\((?:right|left|center|centre|"
    r"[LR]|2nd [LR])\)|hide caption|\bcaption \d+ of \d+|"
    r"^\s*(photos?|pictures?|in pictures|video|watch|"
    r"gallery|graphic|map|listen|related|more|opinion|analysis|editor'?s note)\s*:|"
    r"\b(read more|sign up|subscribe|click here|follow us|newsletter|download the app|"
    r"(?:everything|what) you need to know|"
    r"just watched|must watch|replay more videos|video ad feedback|ad feedback|"
    r"getty images|photo credit|credit:|\(photo|/ap\b|/reuters\b|/afp\b|source: cnn)|"
    r"(?-i:\b[A-Z][\w.-]+(?: [A-Z][\w.-]+)*/[A-Z][\w.-]+)",  # "Stefan Boness/Visum/Redux"
    re.I,
)
# A photo caption without a marker ("Colorado Avalanche players celebrate after defeating the
# Tampa Bay Lightning in Game 6 of the Stanley Cup Finals.") is written as news never is: the
# simple present of a verb of what a picture shows, right after a short subject, no verb in
# the past anywhere, and the place or date the picture was taken.
_SHOWN = (
    "celebrate",
    "pose",
    "walk",
    "stand",
    "look on",
    "gather",
    "react",
    "attend",
    "arrive",
    "kneel",
    "hug",
    "embrace",
    "lift",
    "skate",
    "gesture",
    "mourn",
    "pray",
    "pay respects",
    "speak",
    "survey",
    "wade",
    "inspect",
    "greet",
    "wait",
    "hold",
    "ride",
    "drive",
    "carry",
    "watch",
    "cheer",
    "march",
    "protest",
    "sing",
    "dance",
    "listen",
    "take part",
    "line up",
    "sit",
    "rest",
    "lie",
)


def _present(verb: str) -> str:
    head, _, rest = verb.partition(" ")
    if head.endswith(("sh", "ch", "ss")):
        third = head + "es"
    elif head.endswith("y") and head[-2] not in "aeiou":
        third = head[:-1] + "ies"
    else:
        third = head + "s"
    return f"(?:{head}|{third})" + (f" {rest}" if rest else "")


_CAPTION_VERB = re.compile(
    r"^(?P<subject>(?:[\w'’.-]+\s+){1,6}?)(?:" + "|".join(map(_present, _SHOWN)) + r")\s+"
    r"(?:after|during|as|at|in|on|outside|near|with|while|before|beside|behind|past|into|"
    r"through|along|for|the|a|an|his|her|their)\b"
)
_NOT_A_SUBJECT = re.compile(
    r"\b(?:will|would|can|could|to|should|may|might|must|did|do|does|"
    r"who|which|that|where|when|not|also|often|usually|typically|they|"
    r"we|you|he|she|it|if)\b|n't\b",
    re.I,
)

# a capitalised word that may stand before a numeral "I" ("Artemis I"), not a sentence opener
_NAME_WORD = re.compile(r"(?!(?:And|But|So|Then|Now|Here|There|When|If|As|Yet)\b)[A-Z]")


def _says_i(subject: str) -> bool:
    """Whether the writer's "I" is among the words ("Then I watch…"), not a regnal or series
    numeral after a name ("Artemis I", "Elizabeth I")."""
    words = subject.split()
    return any(
        w == "I" and (k == 0 or not _NAME_WORD.match(words[k - 1])) for k, w in enumerate(words)
    )


_PAST = re.compile(r"\b(?:was|were|had|has|have|say|said|says|told|according|\w{3,}ed)\b", re.I)
_WHERE_OR_WHEN = re.compile(r"\b(?:in|at|near|outside|of|on) (?:the )?[A-Z]")  # not "at 40%"


def is_photo_caption(text: str) -> bool:
    """A caption written as a sentence, with no "Photo:" or credit to mark it (see above)."""
    m = _CAPTION_VERB.match(text)
    return bool(
        m
        and text[:1].isupper()
        and not _NOT_A_SUBJECT.search(m.group("subject"))
        and not _says_i(m.group("subject"))
        and not _PAST.search(text)
        and _WHERE_OR_WHEN.search(text)
    )


_WRITER = re.compile(r"\bI(?:'|’)(?:ll|m|ve|d)\b|\bI (?:will|am|have)\b")
_CLOSES = re.compile(r"[.!?][\"'”’)\]]*\s*$")
# openings that lean on the sentence before: a pronoun for someone named there, a word that
# continues it ("So far," and "This week," stand on their own)
_LEANS_BACK = re.compile(
    r"^(?:(?:he|she|they|him|his|her|hers|their|them|it|its|we|our|i)\b(?!\s*[-–]\w)"
    r"(?<!it)(?<!It)|it\b(?!\s+(?:is|was|remains|remained)\s+(?:not\s+)?(?:unclear|clear|known|"
    r"unknown|expected|likely|unlikely|possible|estimated|believed|thought)\b)|"
    r"(?:this|that|these|those)\s+(?:is|was|are|were|has|had|will|would|could|means|meant|"
    r"comes|came|includes|included)\b|"
    r"(?:meaning|which|and|or|but|plus|also|instead|otherwise|thus|hence|therefore|"
    r"nevertheless|nonetheless|however|moreover|furthermore|additionally|even so)\b|"
    r"(?:this|that|these|those)\s+(?!(?:week|weekend|year|month|morning|afternoon|evening|"
    r"season|time|summer|spring|fall|autumn|winter)s?\b)[a-z]+(?:s|ed)\b|"
    r"(?:that(?:'|’)s|this is) (?:why|because|how)\b|here(?:'s|’s| is| are)\b|"
    # the answer to a question the article asked in the line before (a sub-heading): "Yes,
    # at least according to an advisory…", "No. The agency…" (not "No one was hurt")
    r"(?:yes|no|not yet|maybe|perhaps)\s*[,.;:—–]|"
    # a person's pronoun after an opening time: "Yesterday, he called…", "On Friday, they
    # said…" (not "Later, it emerged that…")
    r"(?:yesterday|today|tonight|later|earlier|then|on \w+day),? (?:he|she|they)\b)",
    re.I,
)
# titles a news story's reader knows the one holder of, written in lower case by some outlets
# ("the queen will be buried at …")
_ONE_HOLDER = frozenset({"king", "queen", "prince"})
# a title standing for someone the article named before: "The president has already cast his
# midterm ballot." (who?); not "The Queen" (a title written as a name), not a title that
# says whose it is ("The president of Ukraine", "The prime minister, Liz Truss,")
_TITLE_FOR_NAME = re.compile(
    r"^(?:The|the) (?:[a-z]+ )?(?:"
    + "|".join(w for w in TITLE_WORDS if w not in _ONE_HOLDER)
    + r")s?\b(?!\s+(?:of|for|to)\b|,)"
)
# a news follow-up whose subject was named in the sentence before: "The decision follows …",
# "The move comes as …" (not "The hurricane came ashore …", not "The Senate followed …")
_FOLLOW_UP = re.compile(
    r"^(?i:the) (?:[a-z][\w-]* )?[a-z][\w-]* (?:follows|followed|(?:comes?|came) (?:as|after|"
    r"amid|just|only|less|more|a day|days|weeks|months|one|two|three|at a time)\b)"
)
# words that point back to things named in another sentence: "such outbreaks" (not "such as"),
# "both massacres" (not "both the House and the Senate", nor the pairs politics names alone:
# "both parties", "both chambers")
_POINTS_BACK = re.compile(
    r"\b(?i:such) (?!as\b)[a-z]+s\b|"
    r"\b(?i:both) (?!\w+ (?:\w+ )?and\b|parties\b|chambers\b)[a-z]+s\b(?! and\b)"
)
# a noun that stands for an act or words the sentence does not state ("shell nouns": the
# move, the decision, the tactic), with nothing after it saying which: "Biden advisers were
# prepared to defend the tactic" (which?); not "the decision to overturn Roe", "the move by
# the Senate", nor a source's standing: "two people familiar with the decision"
_SHELL = re.compile(
    r"(?<!familiar with )(?<!briefed on )\b(?i:the) (?:tactic|move|decision|step|strategy|"
    r"approach|measure|effort|proposal|idea|announcement|remarks|comments|incident|episode|development|shift)s?\b(?!-)"
    r"(?!\s+(?:of|to|that|which|for|by|against|on|in|at|from|with|under|over)\b)"
)
# how far into a sentence a shell noun still points out of it: later, the sentence has stated
# the act itself ("officials declared an emergency Saturday, saying … the move will boost …")
_SHELL_WITHIN_WORDS = 12


def _points_to_an_act(text: str) -> bool:
    """Whether a shell noun (`_SHELL`) early in the sentence stands for an act it does not
    state."""
    unquoted = _IN_QUOTES.sub("", text)
    found = _SHELL.search(unquoted)
    return bool(found and len(unquoted[: found.start()].split()) < _SHELL_WITHIN_WORDS)


_IN_QUOTES = re.compile(r"“[^”]*”|\"[^\"]*\"")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
MIN_WORDS = 7
_ENDS_QUOTED = re.compile(r"[.!?,]?[\"”’']\s*$")
# someone in the sentence saying it: a speech verb of the citation check's list in any form
# ("said", "told", "tweeted"), "according to", or "posted"
_ATTRIBUTED = re.compile(
    r"\b(?:according|posted|"
    + "|".join(
        sorted((w for w, (_, kind, _) in VERB_FORMS.items() if kind == SPEECH), key=len)[::-1]
    )
    + r")\b",
    re.I,
)


# words in quotes that are an act of the story rather than a view of it: a statement issued,
# a post ("“Twitter deal temporarily on hold …,” Musk tweeted on Friday")
_ISSUED = re.compile(
    r"\b(?:statement|release|announce(?:d|ment)?|tweet(?:ed|s)?|posted|wrote on)\b", re.I
)


_NO_COMMENT = re.compile(
    r"\b(?:did not|didn't|didn’t) (?:immediately )?(?:return|respond to|reply to) (?:a |an |"
    r"multiple |several |CNN's |our )?(?:requests?|inquiry|inquiries|emails?|messages?|calls?) "
    r"(?:for|seeking) comment|\bdeclined to comment\b|\bcould not be reached for comment\b",
    re.I,
)


def is_quoted_remark(text: str) -> bool:
    """Whether most of the line's words are someone's words in quotes, said rather than
    issued ("“It's too early to say what the options are,” said Mike Sarafin"): a remark, a
    view or a forecast that a briefing may quote, not a fact its reporter states. A quoted
    statement or post is the news itself (`_ISSUED`)."""
    words = len(_WORD.findall(text))
    quoted = sum(len(_WORD.findall(q)) for q in _IN_QUOTES.findall(text))
    if not words or quoted < words / 2:
        return False
    return not _ISSUED.search(_IN_QUOTES.sub("", text))


# People whose part in a story is to comment on it, not to act in it or speak for someone who
# does: what they say is a take on the news ("wrote tech analyst Dan Ives of Wedbush Securities",
# "said Dr. David Hamer, an infectious disease specialist at Boston University").
_COMMENTATOR = re.compile(
    r"\b(?:analysts?|experts?|specialists?|professors?|researchers?|research director|"
    r"strategists?|economists?|commentators?|pundits?|scholars?)\b",
    re.I,
)
# guesses reported as guesses: "some Twitter users wondered if Musk will…"
_SPECULATION = re.compile(r"\b(?:wondered|wondering|speculated|speculating|speculate)\b", re.I)


def is_view(text: str) -> bool:
    """Whether a line reports a view of the news rather than a fact of it: a remark mostly in
    quotes (`is_quoted_remark`), what an outside commentator (an analyst, an expert, a
    professor) says of the story unless it puts an amount on it, or speculation. A briefing
    may quote a view; a list of what is new since the last briefing is about facts. On the
    weekly replay of six real stories every line attributed to a commentator without an
    amount had been judged not a fact (`eval/findings/briefing-eval.md`, round 7)."""
    if is_quoted_remark(text) or _SPECULATION.search(text):
        return True
    if not (_COMMENTATOR.search(text) and _ATTRIBUTED.search(text)):
        return False
    return not puts_an_amount(_IN_QUOTES.sub("", text))  # an amount is a figure of the news


_CREDIT_WORD = re.compile(r"\b(?:getty images|ap photo|reuters|afp|file photo|courtesy)\b", re.I)
_CREDIT_LINKS = frozenset("via for of the and de".split())


def is_credit(text: str) -> bool:
    """Whether a line is only a picture's credit ("(Ariel Hermoni/Defense Ministry)", "AP
    Photo/Evan Vucci"): names joined by slashes, or a photo agency, and no word of a sentence.
    Such a line states nothing, whatever names it holds."""
    words: list[str] = _WORD.findall(text)
    if not words or any(w[:1].islower() and w.lower() not in _CREDIT_LINKS for w in words):
        return False
    return "/" in text or bool(_CREDIT_WORD.search(text))


# a reporter's sign-off at an article's foot: "Follow Jordan Mendoza on Twitter: @jord_mendoza",
# "Reach Olivia Krauth at okrauth@courierjournal.com"
_SIGN_OFF = re.compile(
    r"^\W*(?:follow|contact|reach|email)\b[^.!?]{0,80}?"
    r"(?:\bon (?:twitter|x|instagram|facebook|tiktok|threads|bluesky|linkedin)\b|@\w|"
    r"\bat \S+@\S+)",
    re.I,
)


def is_sign_off(text: str) -> bool:
    """Whether a line is a reporter's sign-off (how to follow or reach them). It answers
    nothing, though it names someone and the site they post on: "who bought Twitter" was
    answered with "Follow Jordan Mendoza on Twitter: @jordan_mendoza5"."""
    return bool(_SIGN_OFF.search(text))


def is_briefing_line(text: str) -> bool:
    """Whether a sentence reads as a line of reporting (see the module docstring)."""
    text = text.strip()
    words: list[str] = _WORD.findall(text)
    if len(words) < MIN_WORDS or _FURNITURE.search(text) or not _CLOSES.search(text):
        return False
    if is_photo_caption(text) or is_sign_off(text):
        return False
    opening = text.lstrip("“\"'‘(—–- ")
    if opening[:1].islower():
        return False  # the tail of a sentence the splitter cut
    quoted = opening != text.lstrip("(—–- ")  # "“We will rebuild,” the mayor said": his own words
    leans_back = _LEANS_BACK.match(opening) or _FOLLOW_UP.match(opening)
    if asks(text) or (leans_back and not quoted):
        return False  # a sub-heading, or a sentence that needs the one before it
    if _POINTS_BACK.search(_IN_QUOTES.sub("", text)):
        return False  # "such outbreaks", "both massacres": named in another sentence
    if text.count("(") != text.count(")") or text.count("“") < text.count("”") - 1:
        return False  # cut inside brackets: "… in Game 1 (8 p.m."
    if text.count("“") > text.count("”") or text.count('"') % 2:
        return False  # a quotation the sentence cuts off: 'read: "The Queen, with …'
    if quoted and _ENDS_QUOTED.search(text) and not _ATTRIBUTED.search(text):
        return False  # words in quotes with no one saying them: "My guess is, once they …"
    if _NO_COMMENT.search(text):
        return False  # says only that someone said nothing: "Twitter did not return a request…"
    if re.search(r"^\w[\w '’]{0,30}:\S", text):
        return False  # a related-link teaser: "Chief justice:Roberts wanted to go slow"
    if not (text[:1].isalnum() or text[:1] in "“\"'‘(—–-$£€"):
        return False  # a promo opening on a pictograph: "📸 Images from Florida: …"
    if _WRITER.search(text) and not re.search(r"[“”\"]", text):
        return False  # the writer speaking of the article: "I'll keep updating …"
    capitalised = sum(w[0].isupper() for w in words)
    return capitalised / len(words) < 0.6  # a headline in title case


def leans_on_another_sentence(text: str) -> bool:
    """Whether a line of reporting (`is_briefing_line`) needs the article around it to say who
    or what: a title standing for someone named before ("The president has already cast his
    midterm ballot.") or a shell noun standing for an act the sentence does not state ("Biden
    advisers were prepared to defend the tactic"). A line read on its own (a summary's
    sentence, a key point, a line of "What changed") must not; a timeline row or a figure's row
    may, since its date or its figure is the point and its source is beside it ("The defense
    minister was referring to more than 80,000 residents…")."""
    opening = text.strip().lstrip("“\"'‘(—–- ")
    return bool(_TITLE_FOR_NAME.match(opening) or _points_to_an_act(text))
