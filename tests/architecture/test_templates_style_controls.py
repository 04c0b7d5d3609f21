"""A visible form control in a page is rendered with the portal's classes (`{{ field|bootstrap }}`): a bare
`{{ field }}` after its label is an unstyled input, which ran past its card at 390 px on two list pages."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
BARE_CONTROL = re.compile(r"</label>\s*\{\{\s*field\s*\}\}")


def test_no_labelled_control_is_rendered_bare():
    bare = [f"{path.relative_to(TEMPLATES)}:{text[:match.start()].count(chr(10)) + 1}"
            for path in sorted(TEMPLATES.rglob("*.html"))
            for text in [path.read_text(encoding="utf-8")]
            for match in BARE_CONTROL.finditer(text)]
    assert bare == []
