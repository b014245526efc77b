"""Family colours too close to tell apart: the issue's pairs, the deficiency simulations, greyscale themes."""

from __future__ import annotations

from deckgen.design.family_colors import Swatch, clashes, table


def sw(name: str, color: str) -> Swatch:
    return Swatch(name, (int(color[1:3], 16) / 255, int(color[3:5], 16) / 255, int(color[5:7], 16) / 255), color)


def test_the_issue_pair_clashes_in_every_vision() -> None:
    (clash,) = clashes([sw("ocean", "#1B4965"), sw("forest", "#E4572E"), sw("slate", "#264653")])
    assert (clash.first, clash.second) == (0, 2)
    assert clash.why.startswith("CIEDE2000 6.2 (below 12), ")
    assert "under deuteranopia (below 8)" in clash.why and "under protanopia (below 8)" in clash.why


def test_a_pair_apart_in_normal_vision_clashes_for_deuteranopes() -> None:
    (clash,) = clashes([sw("red", "#D7263D"), sw("green", "#3E8E41")])
    assert "(below 12)" not in clash.why
    assert "under deuteranopia (below 8)" in clash.why


def test_greyscale_only_for_a_greyscale_theme() -> None:
    orange, teal = sw("edition", "#E4572E"), sw("travail", "#2A9D8F")  # far apart in colour, L* 3 apart
    assert clashes([orange, teal]) == []
    (clash,) = clashes([orange, teal], greyscale=True)
    assert "in greyscale, L* 3.0 apart (below 8)" in clash.why


def test_table_lists_every_pair_and_marks_the_close_ones() -> None:
    lines = table([sw("ocean", "#1B4965"), sw("slate", "#264653"), sw("sun", "#FFE066")])
    assert len(lines) == 4
    assert lines[0].split() == ["family", "family", "ΔE00", "deutan", "protan", "ΔL*", "grey"]
    cells = lines[1].split()
    assert cells[:3] == ["ocean", "slate", "6.2*"] and cells[3].endswith("*") and cells[4].endswith("*")
    assert not any(c.endswith("*") for c in lines[2].split()[2:])
    assert not lines[1].split()[-1].endswith("*")  # grey distances are marked only for a greyscale theme
    assert table([sw("ocean", "#1B4965"), sw("slate", "#264653")], greyscale=True)[1].split()[-1].endswith("*")


def test_deckgen_own_colours_pass_the_check() -> None:
    """The reference deck (in greyscale too, for ink-saver) and the colours `import` gives families."""
    import yaml
    from conftest import MICRO

    from deckgen.deck.spreadsheets.rows import PALETTE

    micro = [sw(f["id"], f["color"]) for f in yaml.safe_load(MICRO.read_text(encoding="utf-8"))["families"]]
    assert clashes(micro, greyscale=True) == []
    assert clashes([sw(c, c) for c in PALETTE]) == []
