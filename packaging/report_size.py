"""Print the size of the built folder and its largest parts (the end of `make package`).

python packaging/report_size.py dist/funscribe [TOP]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

_MIB = 1024 * 1024
# Report these one level deeper: one folder each would hide what inside it is big.
_SPLIT = {"_internal", "_internal/torch"}


def sizes(root: Path) -> tuple[int, Counter[str]]:
    """Total bytes under `root`, and bytes per part (a top-level entry of `_internal`)."""
    parts: Counter[str] = Counter()
    total = 0
    for path in root.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        size = path.stat().st_size
        total += size
        parts[_part(path.relative_to(root))] += size
    return total, parts


def _part(relative: Path) -> str:
    names = relative.parts
    depth = 1
    while depth < len(names) and "/".join(names[:depth]) in _SPLIT:
        depth += 1
    return "/".join(names[:depth])


def main(argv: list[str]) -> int:
    root = Path(argv[0])
    top = int(argv[1]) if len(argv) > 1 else 12
    if not root.is_dir():
        print(f"no build at {root}", file=sys.stderr)
        return 1
    total, parts = sizes(root)
    print(f"{root}: {total / _MIB:,.0f} MiB in all; largest parts:")
    for name, size in parts.most_common(top):
        print(f"  {size / _MIB:8,.1f} MiB  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
