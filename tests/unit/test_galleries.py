"""A photo gallery flattened into an article's text is read as its captions: each sentence
cut at the "Hide Caption N of M" that ends a caption, started after the "Photos:" heading,
the gallery's title and a photo's credit, still verbatim spans of the text."""

from __future__ import annotations

from types import SimpleNamespace

from rag.text.galleries import gallery_titles, is_caption, without_gallery_furniture
from rag.text.sentences import SPANS_KEY, encode_spans, node_sentence_spans, sentence_spans

GALLERY = (
    "Officials said the river crested overnight.\n\n"
    "Photos: Floods in the valley Two neighbours embrace Monday in front of a house the water "
    "destroyed in Altdorf. Hide Caption 1 of 9 Photos: Floods in the valley A damaged road "
    "buckles after flooding near Euskirchen. Hide Caption 2 of 9 Photos: Floods in the valley "
    "Maria Lenz/AFP/Getty Images Rescuers search for people in Erftstadt on Saturday. Hide "
    "Caption 3 of 9 Photos: Floods in the valley Rescuers carry a boat through a street. "
    "Hide Caption 4 of 9"
)


def read(text: str) -> list[str]:
    return [text[a:b] for a, b in without_gallery_furniture(text, sentence_spans(text))]


def test_a_gallery_reads_as_its_captions_without_headings_titles_or_credits() -> None:
    assert gallery_titles(GALLERY) == {"Floods in the valley"}  # not "… valley Rescuers"
    assert read(GALLERY) == [
        "Officials said the river crested overnight.",
        "Two neighbours embrace Monday in front of a house the water destroyed in Altdorf.",
        "A damaged road buckles after flooding near Euskirchen.",
        "Rescuers search for people in Erftstadt on Saturday.",
        "Rescuers carry a boat through a street.",
    ]


def test_spans_stored_at_ingest_are_read_the_same_way() -> None:
    node = SimpleNamespace(
        get_content=lambda: GALLERY,
        metadata={SPANS_KEY: encode_spans(sentence_spans(GALLERY))},
    )
    assert [GALLERY[a:b] for a, b in node_sentence_spans(node)] == read(GALLERY)


def test_text_without_a_gallery_keeps_its_sentences() -> None:
    text = (
        "The AP/NORC poll found 41% approval. Kevin Smith/Getty Images said nothing new. "
        "(Ariel Hermoni/Defense Ministry)"
    )
    assert read(text) == [text[a:b] for a, b in sentence_spans(text)]
    single = "Photos: Floods in the valley Two neighbours embrace Monday. Hide Caption 1 of 9"
    # one caption alone: its title cannot be told from it, and stays
    assert read(single) == ["Floods in the valley Two neighbours embrace Monday."]
    credited = "Photos: Floods in the valley Maria Lenz/AFP/Getty Images Two neighbours embrace."
    assert read(credited) == ["Two neighbours embrace."]  # the credit ends the unknown title


def test_a_caption_is_known_as_one_so_briefings_leave_it_out() -> None:
    spans = without_gallery_furniture(GALLERY, sentence_spans(GALLERY))
    captions = [is_caption(GALLERY, a, b) for a, b in spans]
    assert captions == [False, True, True, True, True]  # the article's own sentence is not
    cut = GALLERY[: GALLERY.index(" Hide Caption 2 of 9")]  # a chunk ending inside the gallery
    last = without_gallery_furniture(cut, sentence_spans(cut))[-1]
    assert cut[last[0] : last[1]] == "A damaged road buckles after flooding near Euskirchen."
    assert is_caption(cut, *last)


def test_a_caption_opening_with_its_credit_is_a_caption_without_it() -> None:
    text = (
        "Abe led the party for years. Toru Hanai/Bloomberg/Getty Images Then-Prime Minister "
        "Shinzo Abe addresses the media in 2014. He resigned in 2020."
    )
    spans = without_gallery_furniture(text, sentence_spans(text))
    assert [(text[a:b], is_caption(text, a, b)) for a, b in spans] == [
        ("Abe led the party for years.", False),
        ("Then-Prime Minister Shinzo Abe addresses the media in 2014.", True),
        ("He resigned in 2020.", False),
    ]
