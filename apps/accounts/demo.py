from apps.accounts.models import User

DEMO_PASSWORD = "Demo@2026jl"  # passes the password policy (≥ 10 characters)
# username, surname, given name, role, region, staff (admin site)
DEMO_USERS = [
    ("admin", "系统", "管理员", User.Role.ADMINISTRATOR, "220000", True),
    ("supervisor", "李", "审核", User.Role.SUPERVISOR, "220100", True),
    # The seeded province run is started by `admin`; four eyes need a second province-level reviewer.
    ("supervisor_jl", "孙", "审核", User.Role.SUPERVISOR, "220000", True),
    ("caseworker", "王", "经办", User.Role.CASEWORKER, "220102", False),
    ("caseworker_jl", "赵", "经办", User.Role.CASEWORKER, "220204", False),
    ("api_client", "对接", "系统", User.Role.INTEGRATION, "220000", False),
    # 三员分立: the audit administrator reads the access log and change history, nothing else.
    ("auditor", "审计", "管理员", User.Role.AUDITOR, "220000", True),
]


def seed(*, rng) -> str:
    created = 0
    for username, last, first, role, region, staff in DEMO_USERS:
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={"last_name": last, "first_name": first, "role": role, "region_id": region, "is_staff": staff,
                      "is_superuser": username == "admin"},
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            created += 1
    return f"{created} 个新账号（共 {len(DEMO_USERS)} 个）"
