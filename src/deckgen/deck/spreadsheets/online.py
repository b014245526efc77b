"""Links to online spreadsheets as users copy them, turned into the URL of their CSV or XLSX (pure functions).

Google Sheets:
- a shared link `…/spreadsheets/d/ID/edit#gid=N` (or `?gid=N`, `/edit?usp=sharing`, `/view`, `/u/1/d/ID`…)
  -> `https://docs.google.com/spreadsheets/d/ID/export?format=csv&gid=N` (no gid: the first sheet), or
  `format=xlsx` (the whole workbook) when the deck names a `sheet:`;
- a published link `…/d/e/2PACX…/pubhtml` or `/pub?…` -> `…/pub?output=csv`, keeping `gid` and `single`;
  `output=xlsx` (the whole workbook: without them) when the deck names a `sheet:`.
Any other http(s) URL is asked as it is; what it answers is told by its bytes (`kind`).
"""

from __future__ import annotations

import re
import urllib.parse

GOOGLE_HOSTS = ("docs.google.com", "drive.google.com")
_ID = re.compile(r"^/spreadsheets(?:/u/\d+)?/d/([A-Za-z0-9_-]{10,})(?:/|$)")
_PUBLISHED = re.compile(r"^/spreadsheets(?:/u/\d+)?/d/e/([A-Za-z0-9_-]{10,})/pub(?:html)?(?:/sheet)?/?$")
_DRIVE_FILE = re.compile(r"^/file(?:/u/\d+)?/d/([A-Za-z0-9_-]{10,})(?:/|$)")
_GID = re.compile(r"(?:^|[?&#])gid=(\d+)")


def is_url(text: str) -> bool:
    """Whether a deck's `from:` names a URL rather than a file."""
    return text.strip().lower().startswith(("http://", "https://"))


def is_google(url: str) -> bool:
    host = (urllib.parse.urlsplit(url.strip()).hostname or "").lower()
    return host in GOOGLE_HOSTS


def export_url(url: str, whole_workbook: bool = False) -> str:
    """The URL that answers a table: a Google Sheets link mapped to its export (CSV of one sheet, or XLSX of
    the whole workbook when `whole_workbook`); any other URL unchanged (without its #fragment)."""
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower()
    query = urllib.parse.parse_qs(parts.query)
    if host == "docs.google.com":
        published = _PUBLISHED.match(parts.path)
        if published:
            return _published(published.group(1), query, parts.fragment, whole_workbook)
        sheet = _ID.match(parts.path)
        if sheet and not parts.path.rstrip("/").endswith("/gviz/tq"):
            return _exported(sheet.group(1), _gid(parts.query, parts.fragment), whole_workbook)
    if host == "drive.google.com":  # a workbook uploaded to Drive: its download
        found = _DRIVE_FILE.match(parts.path)
        if found:
            return f"https://drive.google.com/uc?export=download&id={found.group(1)}"
    return urllib.parse.urlunsplit(parts._replace(fragment=""))


def _gid(query: str, fragment: str) -> str | None:
    """The sheet's id: `gid=N` in the fragment (as the browser shows it) or else the query."""
    for text in (fragment, query):
        found = _GID.search(text)
        if found:
            return found.group(1)
    return None


def _exported(sheet_id: str, gid: str | None, whole_workbook: bool) -> str:
    base = f"https://docs.google.com/spreadsheets/d/{sheet_id}/export"
    if whole_workbook:
        return f"{base}?format=xlsx"
    return f"{base}?format=csv" + (f"&gid={gid}" if gid else "")


def _published(key: str, query: dict[str, list[str]], fragment: str, whole_workbook: bool) -> str:
    base = f"https://docs.google.com/spreadsheets/d/e/{key}/pub"
    if whole_workbook:
        return f"{base}?output=xlsx"
    keep = []
    gid = (query.get("gid") or [""])[0] or _gid("", fragment)
    if gid and gid.isdigit():
        keep.append(f"gid={gid}")
    single = (query.get("single") or [""])[0]
    if single in ("true", "false"):
        keep.append(f"single={single}")
    return f"{base}?{'&'.join([*keep, 'output=csv'])}"


def kind(body: bytes) -> str:
    """What bytes hold: "xlsx" (a zip), "xls" (an old Excel file), "html" (a web page: a sign-in page, the
    sheet's page), or "csv" (anything else: text, read as CSV)."""
    if body.startswith(b"PK\x03\x04"):
        return "xlsx"
    if body.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    head = body[:512].lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if head.startswith((b"<!doctype", b"<html")):
        return "html"
    return "csv"


def html_hint(url: str) -> str:
    """How to make a sheet answer a table instead of a web page."""
    if is_google(url):
        return ("share the sheet (File → Share → Anyone with the link: Viewer), or publish it (File → Share → "
                "Publish to web → CSV) and use that link")
    return "use the link that downloads the .csv or .xlsx file, not the page that shows it"
