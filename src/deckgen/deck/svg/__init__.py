"""SVG files read as plain data: a hardened XML reader, geometry, simple CSS, and the parser (parse.py)."""
