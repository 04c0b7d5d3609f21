from apps.accounts.models import User
from apps.refunds.models import RefundRun
from apps.refunds.services import run_start

# The demo contributions cover 2024–2025, so the demo run is refund year 2026 (facts year 2025).
DEMO_YEAR = 2026


def seed(*, rng) -> str:
    """One official province run, started by the administrator and left for a province supervisor to approve,
    and 南关区's run of the year before, started by its caseworker and left for the city supervisor.

    The chunk tasks run when seed_demo's transaction commits (in-process without a broker, on the workers
    with one). Idempotent: a run of that year and region is never started twice.
    """
    started = []
    if not RefundRun.objects.filter(year=DEMO_YEAR, region_id="220000").exists():
        run = run_start(user=User.objects.get(username="admin"), year=DEMO_YEAR, region_code="220000")
        started.append(f"{DEMO_YEAR} 年度全省批次 #{run.pk}（{run.employers_expected} 家单位）")
    # The year before, 南关区's own run, started by its caseworker: the city supervisor's review on the 待办 list.
    district = User.objects.filter(username="caseworker").first()
    if district is not None and district.region_id and not RefundRun.objects.filter(year=DEMO_YEAR - 1, region_id=district.region_id).exists():
        run = run_start(user=district, year=DEMO_YEAR - 1, region_code=district.region_id)
        started.append(f"{DEMO_YEAR - 1} 年度南关区批次 #{run.pk}（{run.employers_expected} 家单位）")
    return f"稳岗返还演示批次已启动：{'；'.join(started)}" if started else "稳岗返还演示批次已存在"
