"""The registry of import kinds: one RowSpec per kind. The columns documented in README.md ("导入格式") are these.

Every kind is registered by the app that owns its rows, from its AppConfig.ready() (`register(EmployerSpec())`):
an app owns its rows' rules and writes through its own services, and the import service knows only the
RowSpec interface.
"""

from apps.imports.spec import RowSpec

SPECS: dict[str, RowSpec] = {}


def register(spec: RowSpec) -> None:
    if spec.kind in SPECS and type(SPECS[spec.kind]) is not type(spec):
        raise ValueError(f"import kind {spec.kind!r} is already registered by {type(SPECS[spec.kind]).__name__}")
    SPECS[spec.kind] = spec
