import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

# Order matters: later steps use what earlier ones created.
SEED_STEPS = [
    "apps.core.demo.seed_calendar",
    "apps.accounts.demo.seed",
    "apps.applicants.demo.seed",
    "apps.employers.demo.seed",
    "apps.training.demo.seed",
    "apps.childcare.demo.seed",
    "apps.child_welfare.demo.seed",
    "apps.eligibility.demo.seed",
    "apps.refunds.demo.seed",
    "apps.gig.demo.seed",
    "apps.fraud.demo.seed",
    "apps.public_posts.demo.seed",
    "apps.eldercare.demo.seed",
    "apps.startup_loans.demo.seed",
]


class Command(BaseCommand):
    help = "创建演示数据和演示账号（可重复执行，不会产生重复数据）"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="随机数种子，保证每次生成相同的数据")

    @transaction.atomic
    def handle(self, *args, seed: int, **options):
        for step in SEED_STEPS:
            summary = import_string(step)(rng=random.Random(seed))
            self.stdout.write(f"{step.split('.')[1]}: {summary}")
        self.stdout.write(self.style.SUCCESS("演示数据已就绪"))
