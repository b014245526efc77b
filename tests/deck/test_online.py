"""Decks kept in an online spreadsheet: Google Sheets links mapped to their export, CSV and XLSX fetched from a
local server (127.0.0.1 only: tests never reach the internet), the user's cache standing in for a server
that cannot be reached, --offline, --refresh and the 60 s reuse (with a frozen clock, never a sleep)."""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from conftest import normal, text_chunks

from deckgen import cache as cache_mod
from deckgen.cache import Cache
from deckgen.cli.main import main
from deckgen.deck import remote
from deckgen.deck.load import load_deck
from deckgen.deck.remote import FetchFailed, Remote, fetch_table
from deckgen.deck.spreadsheets.online import export_url, kind
from deckgen.deck.spreadsheets.workbook import workbook
from deckgen.errors import DeckError

G = "https://docs.google.com/spreadsheets"
KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-xyz"
PUB = "2PACX-1vQabcdefghijklmnopqrstuvwxyz0123456789"
CSV = ("title,summary,source\n"
       "Lanterne des rues,Une lumière partagée.,https://example.org/lanterne\n"
       "Jardin du toit,Des tomates en hauteur.,\n").encode()
BOOK = workbook([("Cartes", [["title", "family"], ["Cahier du classeur", "atelier"]]),
                 ("Families", [["id", "name", "color"], ["atelier", "Atelier", "#E4572E"]])])
LOGIN = b"\xef\xbb\xbf\n  <!DOCTYPE html><html><body>Sign in to continue to Sheets</body></html>"


class Handler(BaseHTTPRequestHandler):
    log: list[str] = []
    routes: dict[str, tuple[int, bytes, str | None]] = {
        "/cards.csv": (200, CSV, None), "/moved.csv": (302, b"", "/cards.csv"),
        "/book.xlsx": (200, BOOK, None), "/moved-book": (302, b"", "/book.xlsx"),
        "/private": (302, b"", "/signin"), "/signin": (200, LOGIN, None), "/busy.csv": (503, b"later", None),
        "/bad.csv": (200, b"title,source\nFine,https://example.org\nBroken,not a link\n", None),
    }

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.log.append(self.path)
        status, body, where = self.routes.get(self.path.split("?")[0], (404, b"not found", None))
        self.send_response(status)
        if where:
            self.send_header("Location", where)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(folder))
    remote.forget()
    yield folder
    remote.forget()


@pytest.fixture
def served(http_server):
    return http_server(Handler)


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def deck_file(tmp: Path, cards: str, families: str = "") -> Path:
    deck = tmp / "deck.yaml"
    deck.write_text(f"deck: {{title: En ligne, lang: fr}}\n{families}cards: {cards}\n", encoding="utf-8")
    return deck


# ---------------------------------------------------------------- links as users copy them

@pytest.mark.parametrize("link, whole, expected", [
    (f"{G}/d/{KEY}/edit#gid=0", False, f"{G}/d/{KEY}/export?format=csv&gid=0"),
    (f"{G}/d/{KEY}/edit#gid=1386834576", False, f"{G}/d/{KEY}/export?format=csv&gid=1386834576"),
    (f"{G}/d/{KEY}/edit?gid=42#gid=42", False, f"{G}/d/{KEY}/export?format=csv&gid=42"),
    (f"{G}/d/{KEY}/edit?usp=sharing", False, f"{G}/d/{KEY}/export?format=csv"),
    (f"{G}/d/{KEY}/edit", False, f"{G}/d/{KEY}/export?format=csv"),
    (f"{G}/d/{KEY}", False, f"{G}/d/{KEY}/export?format=csv"),
    (f"{G}/d/{KEY}/", False, f"{G}/d/{KEY}/export?format=csv"),
    (f"{G}/d/{KEY}/view#gid=7", False, f"{G}/d/{KEY}/export?format=csv&gid=7"),
    (f"{G}/u/1/d/{KEY}/edit#gid=3", False, f"{G}/d/{KEY}/export?format=csv&gid=3"),
    (f"http://docs.google.com/spreadsheets/d/{KEY}/edit#gid=3", False, f"{G}/d/{KEY}/export?format=csv&gid=3"),
    (f"  {G}/d/{KEY}/edit#gid=5  ", False, f"{G}/d/{KEY}/export?format=csv&gid=5"),
    (f"{G}/d/{KEY}/export?format=csv&gid=9", False, f"{G}/d/{KEY}/export?format=csv&gid=9"),
    (f"{G}/d/{KEY}/edit#gid=0", True, f"{G}/d/{KEY}/export?format=xlsx"),
    (f"{G}/d/{KEY}/edit?usp=sharing", True, f"{G}/d/{KEY}/export?format=xlsx"),
    (f"{G}/d/e/{PUB}/pubhtml", False, f"{G}/d/e/{PUB}/pub?output=csv"),
    (f"{G}/d/e/{PUB}/pubhtml?gid=12&single=true", False, f"{G}/d/e/{PUB}/pub?gid=12&single=true&output=csv"),
    (f"{G}/d/e/{PUB}/pub?gid=12&single=true&output=csv", False,
     f"{G}/d/e/{PUB}/pub?gid=12&single=true&output=csv"),
    (f"{G}/d/e/{PUB}/pub?output=xlsx", False, f"{G}/d/e/{PUB}/pub?output=csv"),
    (f"{G}/d/e/{PUB}/pubhtml#gid=4", False, f"{G}/d/e/{PUB}/pub?gid=4&output=csv"),
    (f"{G}/d/e/{PUB}/pubhtml/sheet?headers=false&gid=4", False, f"{G}/d/e/{PUB}/pub?gid=4&output=csv"),
    (f"{G}/d/e/{PUB}/pubhtml?gid=12&single=true", True, f"{G}/d/e/{PUB}/pub?output=xlsx"),
    (f"{G}/d/{KEY}/gviz/tq?tqx=out:csv&sheet=Cards", False, f"{G}/d/{KEY}/gviz/tq?tqx=out:csv&sheet=Cards"),
    (f"https://drive.google.com/file/d/{KEY}/view?usp=sharing", False,
     f"https://drive.google.com/uc?export=download&id={KEY}"),
    ("https://example.org/data/trends.csv#top", False, "https://example.org/data/trends.csv"),
    ("https://example.org/export?id=4&format=xlsx", True, "https://example.org/export?id=4&format=xlsx"),
])
def test_links_as_users_copy_them_map_to_their_export(link, whole, expected):
    assert export_url(link, whole) == expected


@pytest.mark.parametrize("body, expected", [
    (CSV, "csv"), (BOOK, "xlsx"), (LOGIN, "html"), (b"<html lang=fr>", "html"), (b"\r\n\t<!doctype html>", "html"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"), (b"title;html\n<b>;x\n", "csv"), (b"", "csv"),
])
def test_what_a_server_sent_is_told_by_its_bytes(body, expected):
    assert kind(body) == expected


# ---------------------------------------------------------------- the cache

def test_cache_entries_keep_bytes_url_time_and_hash_and_the_oldest_go_first(tmp_path):
    store = Cache(tmp_path, max_bytes=2500)
    for i in range(3):
        store.put(f"https://example.org/{i}.csv", bytes([65 + i]) * 1000, fetched=100.0 + i)
    assert store.get("https://example.org/0.csv") is None  # 3 × 1000 bytes and their headers: the oldest left
    kept = store.get("https://example.org/2.csv")
    assert kept is not None and kept.body == b"C" * 1000 and kept.fetched == 102.0
    assert kept.sha256 == cache_mod.sha256(b"C" * 1000) and kept.url == "https://example.org/2.csv"
    path = next(p for p in (tmp_path / "tables").iterdir() if p.read_bytes().endswith(b"C" * 1000))
    path.write_bytes(path.read_bytes()[:-1] + b"X")  # bytes that no longer match their hash are no copy
    assert store.get("https://example.org/2.csv") is None


def test_the_cache_folder_follows_the_platform_and_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_mod.cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("DECKGEN_CACHE_DIR")
    monkeypatch.setattr(cache_mod.sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_mod.cache_dir() == tmp_path / "xdg" / "deckgen"
    monkeypatch.setattr(cache_mod.sys, "platform", "darwin")
    assert cache_mod.cache_dir() == Path.home() / "Library" / "Caches" / "deckgen"
    monkeypatch.setattr(cache_mod.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert cache_mod.cache_dir() == tmp_path / "local" / "deckgen" / "Cache"


# ---------------------------------------------------------------- fetching through the cache

def test_a_table_is_reused_for_60_s_then_asked_again_and_refresh_asks_at_once(served, own_cache):
    clock = Clock()
    opts = Remote(allow_private=True, clock=clock, cache=own_cache)
    url = served.url + "/cards.csv"
    first = fetch_table(url, opts)
    assert first.body == CSV and first.warning is None and Handler.log == ["/cards.csv"]
    clock.now += 59
    remote.forget()  # another process: only the cache is shared
    assert fetch_table(url, opts).sha256 == first.sha256 and len(Handler.log) == 1
    clock.now += 2
    fetch_table(url, opts)
    assert len(Handler.log) == 2
    fetch_table(url, opts)  # this process decided a moment ago
    assert len(Handler.log) == 2
    fetch_table(url, Remote(allow_private=True, clock=clock, cache=own_cache, refresh=True))
    assert len(Handler.log) == 2, "--refresh asks once per run, not at every reading of the deck"
    remote.forget()
    fetch_table(url, Remote(allow_private=True, clock=clock, cache=own_cache, refresh=True))
    assert len(Handler.log) == 3


def assert_no_copy_for_another_url(url: str, clock: Clock, cache: Path) -> None:
    """A URL never fetched has no copy to stand in: the failure is an error, not an old table."""
    remote.forget()
    with pytest.raises(FetchFailed, match="no copy in the cache"):
        fetch_table(url + "?other", Remote(allow_private=True, clock=clock, cache=cache))


def test_a_server_that_went_away_leaves_the_cached_copy_with_its_age(served, own_cache):
    clock = Clock()
    url = served.url + "/cards.csv"
    fetch_table(url, Remote(allow_private=True, clock=clock, cache=own_cache))
    served.stop()
    remote.forget()
    clock.now += 3 * 3600 + 5 * 60
    got = fetch_table(url, Remote(allow_private=True, clock=clock, cache=own_cache))
    assert got.body == CSV
    assert got.warning == f"{url}: cannot be fetched (connection refused): using the copy fetched 3 h 5 min ago"
    assert_no_copy_for_another_url(url, clock, own_cache)


def test_a_busy_server_is_as_good_as_gone_when_there_is_a_copy(served, own_cache):
    clock = Clock()
    url = served.url + "/busy.csv"
    Cache(own_cache).put(url, CSV, fetched=clock.now - 600)
    got = fetch_table(url, Remote(allow_private=True, clock=clock, cache=own_cache))
    assert got.body == CSV and got.warning == f"{url}: cannot be fetched (HTTP 503 Service Unavailable): using " \
        "the copy fetched 10 min ago"
    assert_no_copy_for_another_url(url, clock, own_cache)


def test_offline_uses_the_copy_whatever_its_age_and_never_asks(served, own_cache):
    clock = Clock()
    url = served.url + "/cards.csv"
    with pytest.raises(FetchFailed, match="not in the cache, and --offline fetches nothing"):
        fetch_table(url, Remote(allow_private=True, offline=True, clock=clock, cache=own_cache))
    assert Handler.log == []
    fetch_table(url, Remote(allow_private=True, clock=clock, cache=own_cache))
    remote.forget()
    clock.now += 30 * 86400
    got = fetch_table(url, Remote(offline=True, clock=clock, cache=own_cache))
    assert got.body == CSV and got.warning is None and Handler.log == ["/cards.csv"]


def test_a_404_or_a_sign_in_page_is_an_error_even_with_a_copy(served, own_cache):
    clock = Clock()
    store = Cache(own_cache)
    for path in ("/gone.csv", "/private"):
        store.put(served.url + path, CSV, fetched=clock.now - 3600)  # an old copy is not what the link means
    with pytest.raises(FetchFailed, match="HTTP 404") as gone:
        fetch_table(served.url + "/gone.csv", Remote(allow_private=True, clock=clock, cache=own_cache))
    assert "check the link" in (gone.value.hint or "")
    with pytest.raises(FetchFailed, match="a sign-in page, not a table"):
        fetch_table(served.url + "/private", Remote(allow_private=True, clock=clock, cache=own_cache))


def test_a_private_address_is_refused_without_allow_private(served, own_cache):
    with pytest.raises(FetchFailed, match="127.0.0.1 is not a public address") as refused:
        fetch_table(served.url + "/cards.csv", Remote(cache=own_cache))
    assert refused.value.hint == "a table on this machine or the local network needs --allow-private"
    assert Handler.log == []


# ---------------------------------------------------------------- decks and the command line

def test_a_deck_built_from_a_served_csv_shows_its_titles_and_builds_the_same_bytes_again(served, tmp_path, capsys):
    deck = deck_file(tmp_path, f"{{from: {served.url}/moved.csv}}")
    assert main(["build", str(deck), "-o", str(tmp_path / "a.pdf"), "--allow-private", "-q"]) == 0
    assert Handler.log == ["/moved.csv", "/cards.csv"]
    text = normal("".join(c.text for page in text_chunks(tmp_path / "a.pdf") for c in page))
    assert normal("Lanterne des rues") in text and normal("Jardin du toit") in text
    remote.forget()
    served.stop()  # the copy stands in, fetched less than 60 s ago: no warning, the same file
    assert main(["build", str(deck), "-o", str(tmp_path / "b.pdf"), "--allow-private", "-q"]) == 0
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert capsys.readouterr().err == ""


def test_a_workbook_behind_a_redirect_gives_cards_and_families_by_sheet(served, tmp_path):
    deck = deck_file(tmp_path, f"{{from: {served.url}/moved-book, sheet: Cartes}}",
                     f"families: {{from: {served.url}/moved-book, sheet: Families}}\n")
    loaded = load_deck_with(deck)
    assert [c.title for c in loaded.deck.cards] == [{"fr": "Cahier du classeur"}]
    assert [f.id for f in loaded.deck.families] == ["atelier"]
    assert Handler.log == ["/moved-book", "/book.xlsx"]  # one fetch for both sheets
    assert loaded.table_hashes() == [(f"{served.url}/moved-book", cache_mod.sha256(BOOK))]
    assert loaded.tables == []


def load_deck_with(deck: Path):
    from deckgen.deck.load import read_deck

    loaded = read_deck(deck, remote=Remote(allow_private=True))
    assert loaded.problems == []
    return loaded


def test_the_build_uses_the_old_copy_with_one_warning_when_the_server_is_gone(served, tmp_path, capsys, own_cache):
    url = f"{served.url}/cards.csv"
    Cache(own_cache).put(url, CSV, fetched=time.time() - 2 * 86400 - 60)
    served.stop()
    deck = deck_file(tmp_path, f"{{from: {url}}}")
    assert main(["build", str(deck), "-o", str(tmp_path / "a.pdf"), "--allow-private", "-q"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [f"warning: {url}: cannot be fetched (connection refused): using the copy fetched 2 days ago"]
    assert normal("Lanterne des rues") in normal("".join(c.text for p in text_chunks(tmp_path / "a.pdf") for c in p))


def test_offline_without_a_copy_and_a_login_page_are_one_line_each_at_the_decks_from(served, tmp_path, capsys,
                                                                                      monkeypatch):
    monkeypatch.chdir(tmp_path)
    deck = deck_file(tmp_path, f"\n  from: {served.url}/cards.csv")
    assert main(["check", str(deck), "--offline"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"deck.yaml:3: cards.from: {served.url}/cards.csv: not in the cache, and --offline fetches nothing — "
        "build once with a connection, or without --offline"]
    deck = deck_file(tmp_path, f"\n  from: {served.url}/private")
    assert main(["check", str(deck), "--allow-private"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"deck.yaml:3: cards.from: {served.url}/private: a sign-in page, not a table (CSV or XLSX) — use the "
        "link that downloads the .csv or .xlsx file, not the page that shows it"]
    assert main(["check", str(deck)]) == 1  # without --allow-private the server is never asked
    assert "is not a public address — a table on this machine or the local network needs --allow-private" in \
        capsys.readouterr().err


def test_a_google_link_says_how_to_share_or_publish_the_sheet():
    from deckgen.deck.spreadsheets.online import html_hint

    assert html_hint(f"{G}/d/{KEY}/edit#gid=0") == (
        "share the sheet (File → Share → Anyone with the link: Viewer), or publish it (File → Share → Publish "
        "to web → CSV) and use that link")


def test_problems_in_a_served_table_name_its_url_row_and_column(served, tmp_path):
    deck = deck_file(tmp_path, f"{{from: {served.url}/bad.csv}}")
    with pytest.raises(DeckError) as exc:
        load_deck(deck)  # no --allow-private: refused
    assert "--allow-private" in str(exc.value)
    from deckgen.deck.load import read_deck

    loaded = read_deck(deck, remote=Remote(allow_private=True))
    assert [str(p) for p in loaded.problems] == [
        f'{served.url}/bad.csv:3: column "source": not an http(s) URL: \'not a link\' — write the full address '
        "starting with https://"]


def test_import_url_writes_a_deck_and_link_keeps_the_url(served, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["import", f"{served.url}/cards.csv?dl=1", "--allow-private"]) == 0
    text = (tmp_path / "cards.yaml").read_text(encoding="utf-8")
    assert "title: Lanterne des rues" in text and f"made from {served.url}/cards.csv?dl=1" in text
    assert main(["import", f"{served.url}/cards.csv", "-o", "linked.yaml", "--link", "--allow-private"]) == 0
    assert f"from: {served.url}/cards.csv" in (tmp_path / "linked.yaml").read_text(encoding="utf-8")
    assert main(["check", "linked.yaml", "--allow-private"]) == 0
    assert main(["import", f"{served.url}/book.xlsx", "--sheet", "Cartes", "--allow-private"]) == 0
    book = (tmp_path / "book.yaml").read_text(encoding="utf-8")
    assert "title: Cahier du classeur" in book and "family: atelier" in book
    assert main(["import", f"{served.url}/gone", "-o", "gone.yaml", "--allow-private"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"{served.url}/gone: the server answered HTTP 404 Not Found — check the link (copy it again from the "
        "browser's address bar)")
    assert not (tmp_path / "gone.yaml").exists()


def test_watch_asks_online_tables_again_every_60_s_and_rebuilds_when_one_changed(served, own_cache, tmp_path,
                                                                                monkeypatch):
    from deckgen.cli.watch import TablePoll, watch_files
    from deckgen.deck.load import read_deck

    clock = Clock()
    opts = Remote(allow_private=True, clock=clock, cache=own_cache)
    deck = deck_file(tmp_path, f"{{from: {served.url}/cards.csv}}")
    poll = TablePoll(opts, 60, clock=clock)
    titles = []

    def rebuild() -> list[Path]:
        loaded = read_deck(deck, remote=opts)
        poll.built(loaded.fetched())
        titles.append(loaded.deck.cards[0].title)
        monkeypatch.setitem(Handler.routes, "/cards.csv", (200, b"title\nNouvelle carte\n", None))  # edited online
        return [deck]

    def sleep(seconds: float) -> None:
        clock.now += seconds

    builds = watch_files(rebuild, deck, report=pytest.fail, interval=20, sleep=sleep, iterations=6,
                         changed=poll.changed)
    assert builds == 2 and titles == [{"fr": "Lanterne des rues"}, {"fr": "Nouvelle carte"}]
    assert Handler.log == ["/cards.csv"] * 3  # the first build, the change seen at 60 s, the same bytes at 120 s


@pytest.mark.parametrize("seconds, said", [(0, "0 s"), (89, "89 s"), (90, "1 min"), (3599, "59 min"),
                                           (3600, "1 h"), (3 * 3600 + 300, "3 h 5 min"), (47 * 3600, "47 h"),
                                           (2 * 86400, "2 days"), (-5, "0 s")])
def test_the_age_of_a_copy_reads_as_people_say_it(seconds, said):
    assert remote.age(seconds) == said


def test_offline_with_refresh_or_links_is_a_usage_error(tmp_path, capsys):
    deck = deck_file(tmp_path, "{from: https://example.org/cards.csv}")
    assert main(["check", str(deck), "--refresh", "--offline"]) == 2
    assert "choose one" in capsys.readouterr().err
    assert main(["check", str(deck), "--links", "--offline"]) == 2
    assert "--offline fetches nothing: choose one" in capsys.readouterr().err
