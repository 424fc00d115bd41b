"""How a citation names the other copies of its story."""

from __future__ import annotations

from rag.answer_text import also_line


def test_other_outlets_listed_and_own_outlet_copies_counted() -> None:
    also = [
        {"doc": "b", "source": "usatoday.com", "date": "2022-07-28"},
        {"doc": "c", "source": "cnn.com", "date": "2022-07-28"},
        {"doc": "d", "source": "cnn.com", "date": "2022-07-29"},
    ]
    assert (
        also_line(also, "cnn.com")
        == "also reported by usatoday.com (2022-07-28); 2 more copies on cnn.com"
    )
    assert also_line(also[1:], "cnn.com") == "also: 2 more copies on cnn.com"
    assert also_line([], "cnn.com") == ""
