from __future__ import annotations

import pytest

from deckgen.deck.spreadsheets.encodings import reads_as_western, suggest, text_encoding


@pytest.mark.parametrize("name", ["rot13", "rot_13", "base64", "zip", "hex", "bz2", "uu", "quopri", "idna",
                                  "undefined", "punycode", "nope", "", "utf-8\0"])
def test_codecs_that_are_not_text_encodings(name: str) -> None:
    assert text_encoding(name) is None


@pytest.mark.parametrize(("name", "canonical"), [("utf-8", "utf-8"), ("UTF8", "utf-8"), ("cp1252", "cp1252"),
                                                 ("latin-1", "iso8859-1"), ("shift_jis", "shift_jis")])
def test_text_encodings(name: str, canonical: str) -> None:
    assert text_encoding(name) == canonical


@pytest.mark.parametrize("text", ["titre;résumé\nÉté;Noël à Zürich € œuvre\n", "title\nCafé\n", "title\ncréée\nÇà\n",
                                  "Titel;Größe\nStraße;Äpfel;Öl\n"])
def test_western_text_reads_as_western(text: str) -> None:
    assert reads_as_western(text.encode("cp1252").decode("cp1252"))


@pytest.mark.parametrize(("text", "encoding"), [("标题,摘要\n微内容,很短的内容\n", "gbk"),
                                                ("제목,요약\n마이크로,짧은 내용\n", "euc-kr"),
                                                ("заголовок;описание\nМикро;короткий текст\n", "cp1251")])
def test_other_scripts_do_not(text: str, encoding: str) -> None:
    assert not reads_as_western(text.encode(encoding).decode("cp1252", errors="replace"))


def test_a_suggestion_for_the_hint() -> None:
    assert suggest("タイトル,概要\nマイクロ,とても短いコンテンツ\n".encode("shift_jis")) in ("cp932", "shift_jis")
