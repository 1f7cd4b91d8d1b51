#!/usr/bin/env python3
"""Checks every #include across the libraries against docs/architecture.md's table "What each
library offers": a library includes only the libraries it uses, and of them only their public
headers. Prints each include the table does not allow, and exits 1 if there is any."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[1])
doc = (root / "docs/architecture.md").read_text()
section = doc.split("## What each library offers", 1)[1].split("\n## ", 1)[0]

libraries = {}  # folder -> (uses, public headers or None for every header)
for line in section.splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) != 4 or not cells[0].startswith("`stampede_"):
        continue
    folder = cells[1].strip("`/")
    uses = set() if cells[2] == "–" else {u.strip() for u in cells[2].split(",")}
    public = None if cells[3] == "*" else set(re.findall(r"`([^`]+)`", cells[3]))
    libraries[folder] = (uses, public)
if len(libraries) < 10:
    sys.exit(f"error: the table in docs/architecture.md lists {len(libraries)} libraries: is it still there?")

problems = []
checked = 0
for folder in libraries:
    for source in sorted((root / folder).rglob("*")):
        if source.suffix not in (".cpp", ".hpp"):
            continue
        for number, text in enumerate(source.read_text().splitlines(), 1):
            m = re.match(r'\s*#include "([a-z_]+)/(.+)\.hpp"', text)
            if not m or m.group(1) == folder or m.group(1) not in libraries:
                continue
            checked += 1
            other, header = m.group(1), m.group(2)
            where = f"{source.relative_to(root)}:{number}"
            uses, _ = libraries[folder]
            _, public = libraries[other]
            if other not in uses:
                problems.append(f"{where}: {folder}/ does not use {other}/ (includes {other}/{header}.hpp)")
            elif public is not None and header not in public:
                problems.append(f"{where}: {other}/{header}.hpp is not among {other}/'s public headers")
for p in problems:
    print(p)
print(f"{checked} includes across libraries checked, {len(problems)} not allowed")
sys.exit(1 if problems else 0)
