"""One RowSpec per import kind. The columns documented in README.md ("导入格式") are these.

The registry holds the kinds this app defines and those other apps register from their AppConfig.ready()
(`register(AttendanceSpec())`): an app owns its rows' rules and writes through its own services, and
the import service knows only the RowSpec interface.
"""

from apps.imports.spec import RowSpec
from apps.imports.specs.applicants import ApplicantSpec
from apps.imports.specs.contributions import ContributionSpec
from apps.imports.specs.employers import EmployerSpec

SPECS: dict[str, RowSpec] = {}


def register(spec: RowSpec) -> None:
    if spec.kind in SPECS and type(SPECS[spec.kind]) is not type(spec):
        raise ValueError(f"import kind {spec.kind!r} is already registered by {type(SPECS[spec.kind]).__name__}")
    SPECS[spec.kind] = spec


for _spec in (EmployerSpec(), ContributionSpec(), ApplicantSpec()):
    register(_spec)
