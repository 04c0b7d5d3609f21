from apps.accounts.models import User
from apps.refunds.models import RefundRun
from apps.refunds.services import run_start

# The demo contributions cover 2024–2025, so the demo run is refund year 2026 (facts year 2025).
DEMO_YEAR = 2026


def seed(*, rng) -> str:
    """One official province run, started by the administrator and left for a supervisor to approve.

    The chunk tasks run when seed_demo's transaction commits (in-process without a broker, on the workers
    with one). Idempotent: a run of that year and region is never started twice.
    """
    if RefundRun.objects.filter(year=DEMO_YEAR, region_id="220000").exists():
        return "稳岗返还演示批次已存在"
    run = run_start(user=User.objects.get(username="admin"), year=DEMO_YEAR, region_code="220000")
    return f"稳岗返还 {DEMO_YEAR} 年度批次 #{run.pk} 已启动（{run.employers_expected} 家单位）"
