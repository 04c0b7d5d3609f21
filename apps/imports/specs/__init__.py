"""One RowSpec per import kind. The columns documented in README.md ("导入格式") are these."""

from apps.imports.specs.applicants import ApplicantSpec
from apps.imports.specs.contributions import ContributionSpec
from apps.imports.specs.employers import EmployerSpec

SPECS = {spec.kind: spec for spec in (EmployerSpec(), ContributionSpec(), ApplicantSpec())}
