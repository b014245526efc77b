"""Pin a copy of the Lucide icon set (ISC) inside deckgen, from an unpacked `lucide-static` npm package.

    npm pack lucide-static@1.62.0 && tar xzf lucide-static-1.62.0.tgz
    python scripts/pin_icons.py package

writes src/deckgen/data/icons/lucide.json.gz (the body of every icon's SVG, the names that are aliases of
another, the search tags) and LICENSE-lucide.txt. The same package gives the same bytes: a rebuild of a deck
never changes under a dependency update, only when this file is regenerated and committed.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "deckgen" / "data" / "icons"
# what every Lucide icon's <svg> says; the pinned file keeps it once
ROOT = {"viewBox": "0 0 24 24", "fill": "none", "stroke": "currentColor", "stroke-width": "2",
        "stroke-linecap": "round", "stroke-linejoin": "round"}


def _body(svg: str) -> str:
    """The icon's elements, one line, without the <svg> wrapper and the licence comment."""
    inner = svg.split(">", 2)[2].rsplit("</svg>", 1)[0]
    return re.sub(r"\s*\n\s*", "", inner).strip()


def pin(package: Path) -> dict[str, object]:
    meta = json.loads((package / "package.json").read_text("utf-8"))
    nodes = json.loads((package / "icon-nodes.json").read_text("utf-8"))
    tags = json.loads((package / "tags.json").read_text("utf-8"))
    icons = {name: _body((package / "icons" / f"{name}.svg").read_text("utf-8")) for name in sorted(nodes)}
    by_body = {body: name for name, body in icons.items()}
    aliases = {}
    for path in sorted((package / "icons").glob("*.svg")):
        if path.stem not in icons:
            aliases[path.stem] = by_body[_body(path.read_text("utf-8"))]
    return {"set": "lucide", "version": meta["version"], "license": meta["license"], "root": ROOT,
            "icons": icons, "aliases": aliases,
            "tags": {name: sorted(set(tags.get(name, []))) for name in icons if tags.get(name)}}


def main(argv: list[str]) -> int:
    package = Path(argv[1] if len(argv) > 1 else "package")
    data = json.dumps(pin(package), ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "lucide.json.gz", "wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as out:
        out.write(data)
    licence = (package / "LICENSE").read_text("utf-8")
    (OUT / "LICENSE-lucide.txt").write_text(licence, "utf-8")
    print(f"{OUT / 'lucide.json.gz'}: {len(json.loads(data)['icons'])} icons, {len(data):,} bytes, "
          f"{(OUT / 'lucide.json.gz').stat().st_size:,} compressed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
