"""Splitting over-long inputs at clause boundaries."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.clauses import split_once, split_to_fit


@pytest.mark.parametrize(
    ("text", "halves"),
    [
        ("a b; c d", ("a b;", "c d")),
        ("eins, zwei: drei, vier", ("eins, zwei:", "drei, vier")),
        ("eins, zwei, drei, vier", ("eins, zwei,", "drei, vier")),
        ("vorne – hinten und mehr", ("vorne –", "hinten und mehr")),
        ("Pjöngjang-Moskau-Pakt heute", ("Pjöngjang-Moskau-Pakt", "heute")),
        ("abcdef", ("abc", "def")),
        ("a", None),
    ],
)
def test_split_once(text: str, halves: tuple[str, str] | None) -> None:
    assert split_once(text) == halves


def words(text: str) -> int:
    return len(text.split())


def test_split_to_fit_prefers_clauses() -> None:
    text = "Die Regierung hat entschieden, dass die Steuern steigen; die Opposition protestiert."
    assert split_to_fit(text, words, 20) == [text]
    assert split_to_fit(text, words, 8) == [
        "Die Regierung hat entschieden, dass die Steuern steigen;",
        "die Opposition protestiert.",
    ]
    assert split_to_fit(text, words, 4) == [
        "Die Regierung hat entschieden,",
        "dass die Steuern steigen;",
        "die Opposition protestiert.",
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=300), st.integers(min_value=1, max_value=20))
def test_pieces_fit_and_lose_nothing(text: str, limit: int) -> None:
    pieces = split_to_fit(text, len, limit)
    assert all(len(p) <= limit for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())
