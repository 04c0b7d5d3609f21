"""API actions that answer with a file (a notice PDF, a ZIP of notices, an export's CSV/XLSX).

DRF negotiates a renderer from `?format=` (the router has no suffix twins) before the view runs, and an
error raised by the view is rendered by that renderer. For a file action the file renderers only let the file
through (their `render` returns the data as is), so an error asked for with `?format=pdf` was a 404 typed
`application/pdf` whose body was a dict's keys, and `?format=json` gave the PDF while the fuzz test's report
read a streamed body as `.content`. `FileNegotiation` makes every file action answer one way:

- no `?format=`, `json` (the API's default, which a client may append to every call) or one of the action's
  file formats: the view's own answer — the file, or its error as JSON (the API's one error shape);
- any other format: 406 `not_acceptable` as JSON, for every id (as DRF's unknown-format 404 was before).

Declare a file action with `file_action(PdfRenderer, …)` (an `@action` for GET) or, on an action that takes
other `@action` arguments, `renderer_classes=file_renderers(...)` plus `content_negotiation_class=FileNegotiation`.
tests/core/test_file_actions.py finds every such action through the router and asks each with `?format=`.
"""

from rest_framework import renderers
from rest_framework.decorators import action
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.settings import api_settings


class FileNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers_, format_suffix=None):
        json = next(r for r in renderers_ if isinstance(r, renderers.JSONRenderer))
        fmt = format_suffix or request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        allowed = {"json", *(r.format for r in renderers_)}
        if fmt and fmt not in allowed:
            raise NotAcceptable(f"此接口只提供 {'、'.join(sorted(allowed - {'json'}))} 文件，不提供 {fmt[:20]} 格式。")
        return json, json.media_type  # the file is the view's own answer; anything else (an error) is JSON


def file_renderers(*file_renderer_classes) -> list:
    """JSON first (errors, and the renderer DRF falls back to), then the file's own renderers."""
    return [renderers.JSONRenderer, *file_renderer_classes]


def file_action(*file_renderer_classes, **kwargs):
    """`@action(methods=["get"], …)` for an action whose answer is a file of these renderers' formats."""
    return action(methods=["get"], renderer_classes=file_renderers(*file_renderer_classes),
                  content_negotiation_class=FileNegotiation, **kwargs)
