"""The files a deck draws on, checked before anything is drawn: the theme's fonts and every image.

Images: PNG, JPEG or SVG, named relative to the deck (card and family `image:`) or to the theme (a file
named in an image element's `src:`); a missing file is an error at its line, a file outside the
deck's (or theme's) folder is refused unless allowed, and a bitmap that would print below 300 ppi warns.
An SVG is read into vector art here (deck/svg), its text drawn as outlines of the theme's fonts
(design/svgfonts.py): what it may not do is an error at the SVG's own line.
"""

from __future__ import annotations

import os
import stat
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from deckgen.deck.model import Deck, Loc
from deckgen.deck.source import Source, display_name
from deckgen.deck.svg.parse import Art, parse_svg, recolor
from deckgen.deck.svg.xmlsafe import SvgError
from deckgen.design.ops import BLACK, ArtOp, ImageOp
from deckgen.design.svgfonts import SvgFonts
from deckgen.design.theme_model import STYLES
from deckgen.design.themes import LoadedTheme
from deckgen.errors import DeckError, Problem
from deckgen.files import outside
from deckgen.limits import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS
from deckgen.output.fonts import FALLBACK_FONTS, PACKAGE_FONTS, FontBook, identity
from deckgen.units import MM

MIN_PPI = 300
FORMATS = {"PNG", "JPEG"}


def check_fonts(theme: LoadedTheme, fonts: FontBook) -> list[Problem]:
    """Every font file the theme names exists and is a usable TrueType font; every element's font exists."""
    problems: list[Problem] = []
    for key, family in theme.theme.fonts.items():
        for style in STYLES:
            if getattr(family, style):
                try:
                    fonts.face(key, style)
                except DeckError as exc:
                    problems += [theme.src.problem(("fonts", key, style), p.what, p.hint) for p in exc.problems]
    known = {"body", *theme.theme.fonts}
    for side in ("front", "back"):
        for name, el in getattr(theme.theme, side).items():
            if el is not None and el.type == "text" and el.font not in known:
                problems.append(theme.src.problem((side, name, "font"), f"unknown font {el.font!r}",
                                                  "fonts: " + ", ".join(sorted(known))))
    return problems


@dataclass(frozen=True)
class ImageInfo:
    path: Path
    px_w: int
    px_h: int
    format: str
    error: str = ""  # why the image cannot be used: too many pixels, damaged, cut short


@lru_cache(maxsize=256)
def _read(path: Path, stamp: tuple[int, int]) -> ImageInfo:
    """The image's size and format from its header, then its pixels decoded once (a damaged or truncated file
    is found here, naming the image, not while the PDF is written); too many pixels are refused unread."""
    Image.MAX_IMAGE_PIXELS = None  # deckgen's own limit, below, names the file and its size
    if not stat.S_ISREG(os.stat(path).st_mode) or stamp[1] > MAX_IMAGE_BYTES:
        return ImageInfo(path, 0, 0, "", f"is not an image file of at most {MAX_IMAGE_BYTES:,} bytes")
    try:
        with Image.open(path) as im:
            w, h, fmt = im.width, im.height, im.format or ""
            if w * h > MAX_IMAGE_PIXELS:
                return ImageInfo(path, w, h, fmt, f"is {w:,} × {h:,} px, more than deckgen's limit of "
                                                  f"{MAX_IMAGE_PIXELS:,} pixels")
            if fmt in FORMATS:
                im.load()
            return ImageInfo(path, w, h, fmt)
    except UnidentifiedImageError:
        return ImageInfo(path, 0, 0, "")
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, Image.DecompressionBombError) as exc:
        reason = " ".join(str(exc).split())[:80] or type(exc).__name__
        return ImageInfo(path, 0, 0, "", f"cannot be read: a damaged or truncated file ({reason})")


def image_info(path: Path) -> ImageInfo:
    """Pixel size and format, read once per version of the file."""
    st = path.stat()
    return _read(path, (st.st_mtime_ns, st.st_size))


@lru_cache(maxsize=8)
def svg_fonts(fonts: FontBook) -> SvgFonts:
    """The fonts an SVG's text is drawn with (one per font book): the theme's, each file found when a text
    uses it (so `fonts.files_used()` lists it), and the fallback fonts."""
    declared = {key: [f for f in (getattr(family, s) for s in STYLES) if f] for key, family in fonts.families.items()}
    return SvgFonts(declared, lambda key, style: identity(fonts.file(key, style)),
                    [identity(PACKAGE_FONTS / name) for name in FALLBACK_FONTS])


@lru_cache(maxsize=128)
def _svg(path: Path, stamp: tuple[int, int], fonts: SvgFonts) -> Art | SvgError:
    try:
        return parse_svg(path.read_bytes(), fonts=fonts)
    except SvgError as exc:
        return exc


def svg_art(path: Path, fonts: SvgFonts) -> Art:
    """The vector art of an SVG file, read once per version of the file and of the fonts; SvgError for what it
    may not do."""
    st = path.stat()
    art = _svg(path, (st.st_mtime_ns, st.st_size), fonts)
    if isinstance(art, SvgError):
        raise art
    return art


def svg_problem(path: Path, exc: SvgError, where: str | None) -> Problem:
    """A refused SVG: the SVG's file and line, and where the deck or theme names it."""
    return Problem(exc.what, display_name(path), exc.line or None, where, exc.hint)


def print_ppi(info: ImageInfo, w: float, h: float, fit: str) -> float:
    """Pixels per inch of an image drawn in a w × h pt box: scaled whole (contain) or to fill it (cover)."""
    scale_w, scale_h = w / info.px_w, h / info.px_h  # points per pixel
    scale = min(scale_w, scale_h) if fit == "contain" else max(scale_w, scale_h)
    return 72 / scale


@dataclass
class ImageCheck:
    """Resolves and checks the images of one build; remembers what it found for later cards."""

    deck_folder: Path
    theme_folders: list[Path]
    fonts: FontBook
    allow_outside: bool = False

    def __post_init__(self) -> None:
        self.used: set[Path] = set()
        self.svg_fonts = svg_fonts(self.fonts)

    def resolve(self, op: ImageOp, src: Source, loc: Loc, theme: LoadedTheme, theme_loc: Loc
                ) -> tuple[ImageOp | ArtOp | None, list[Problem], list[Problem]]:
        """The op with an absolute path, or None; (problems, warnings) found on the way."""
        if op.field is not None:
            where, folders, at = src, [self.deck_folder], loc
            path = (self.deck_folder / op.path).resolve()
        else:
            where, folders, at = theme.src, [*self.theme_folders, self.deck_folder], theme_loc
            path = next(((f / op.path).resolve() for f in folders if (f / op.path).is_file()),
                        (folders[0] / op.path).resolve())
        if not self.allow_outside and outside(path, folders):
            return None, [where.problem(at, f"image {op.path!r} is outside the deck's folder",
                                        "move it next to the deck, or build with --allow-outside")], []
        if not path.is_file():
            return None, [where.problem(at, f"image {op.path!r} not found", f"looked for {path}")], []
        if path.suffix.lower() == ".svg":
            try:
                art = svg_art(path, self.svg_fonts)
            except SvgError as exc:
                return None, [svg_problem(path, exc, where.problem(at, "").where)], []
            self.used.add(path)
            return ArtOp(recolor(art, op.color or BLACK), op.x, op.y, op.w, op.h, op.fit, display_name(path)), [], []
        info = image_info(path)
        if info.error:
            return None, [where.problem(at, f"image {op.path!r} {info.error}", "save it again as PNG or JPEG")], []
        if info.format not in FORMATS:
            return None, [where.problem(at, f"not a PNG, JPEG or SVG image: {op.path!r}",
                                        "save it as PNG, JPEG or SVG")], []
        self.used.add(path)
        warnings = []
        ppi = print_ppi(info, op.w, op.h, op.fit)
        if ppi < MIN_PPI - 0.5:
            need_w = round(info.px_w * MIN_PPI / ppi)
            need_h = round(info.px_h * MIN_PPI / ppi)
            warnings.append(where.problem(
                at, f"image {op.path!r} prints at {ppi:.0f} ppi, below {MIN_PPI} ppi ({info.px_w}×{info.px_h} px "
                    f"in a {op.w / MM:.0f}×{op.h / MM:.0f} mm box)", f"use {need_w}×{need_h} px or more"))
        return ImageOp(str(path), op.x, op.y, op.w, op.h, op.fit, op.field), [], warnings

    def check_deck_images(self, deck: Deck, src: Source, theme: LoadedTheme, skip: set[int]
                          ) -> tuple[list[Problem], list[Problem]]:
        """Every card's and family's `image:` (the cards in `skip` excepted), whether or not the theme draws it:
        a missing file or one outside the deck's folder is an error at its line. Warns once when the deck
        gives images and the theme shows none."""
        problems: list[Problem] = []
        given = [(("families", i, "image"), f.image) for i, f in enumerate(deck.families) if f.image]
        given += [(("cards", i, "image"), c.image) for i, c in enumerate(deck.cards) if c.image and i not in skip]
        for loc, rel in given:
            path = (self.deck_folder / rel).resolve()
            if not self.allow_outside and outside(path, [self.deck_folder]):
                problems.append(src.problem(loc, f"image {rel!r} is outside the deck's folder",
                                            "move it next to the deck, or build with --allow-outside"))
            elif not path.is_file():
                problems.append(src.problem(loc, f"image {rel!r} not found", f"looked for {path}"))
            elif path.suffix.lower() == ".svg":
                try:
                    svg_art(path, self.svg_fonts)
                except SvgError as exc:
                    problems.append(svg_problem(path, exc, src.problem(loc, "").where))
        drawn = [el.src for side in ("front", "back") for el in getattr(theme.theme, side).values()
                 if el is not None and el.type == "image" and el.src and "{" in el.src]
        warnings = []
        if given and not drawn:
            loc, _ = given[0]
            warnings.append(src.problem(loc, f"the theme {theme.name!r} shows no card or family image; "
                                             f"{len(given)} image{'s' if len(given) != 1 else ''} of the deck "
                                             "will not be printed", 'use a theme with an image element '
                                             '(src: "{image}" or "{family.image}")'))
        return problems, warnings
