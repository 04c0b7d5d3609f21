"""The production static build (manifest storage) fails on a reference to a file that is not there."""

import re
from pathlib import Path

from django.conf import settings

SOURCE_MAP = re.compile(r"sourceMappingURL=(\S+?)(?:\s*\*/)?\s*$", re.MULTILINE)


def test_every_source_map_a_static_file_names_is_vendored() -> None:
    missing = []
    for root in settings.STATICFILES_DIRS:
        for path in Path(root).rglob("*"):
            if path.suffix not in {".js", ".css"}:
                continue
            for name in SOURCE_MAP.findall(path.read_text(encoding="utf-8", errors="replace")):
                if not (path.parent / name).exists():
                    missing.append(f"{path}: {name}")
    assert missing == []
