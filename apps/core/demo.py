"""Believable demo data: Chinese names, valid check digits, Jilin regions. Deterministic and idempotent.

Each app contributes a `seed(rng)` step; `seed_demo` runs them in order. Generators for valid
identifiers live here so tests, demo data and benchmarks make them the same way.
"""

import random
from datetime import date, timedelta

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽阳妮宝贝初程梵罡恒鸿桦骅剑娇纪宽苛灵玛媚琪晴容睿烁堂唯威韦雯苇萱阅彦宇雨洋忠宗曼紫逸贤蝶菡绿蓝儿翠烟"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def make_id_number(region_code: str, birth: date, sequence: int, female: bool) -> str:
    """A valid 18-digit 身份证号: birthplace + birth date + 3-digit sequence (odd = male) + check digit.

    The birthplace must be a code in force on the birth date (绿园区 220106 did not exist in 1990), so a
    region created later falls back to its prefecture, then to 南关区 — as a real registration would.
    """
    seq = sequence % 500 * 2 + (0 if female else 1)
    for place in (region_code, region_code[:4] + "00", "220102", "220100"):
        body = f"{place}{birth:%Y%m%d}{seq:03d}"
        number = body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit
        try:
            return ric.validate(number)
        except stdnum_errors.InvalidComponent:
            continue
    raise ValueError(f"no valid birthplace for {region_code} on {birth}")


def make_uscc(region_code: str, serial: int, registration: str = "91") -> str:
    """A valid 统一社会信用代码: dept+type, region, 9-char organisation code, check digit."""
    body = f"{registration}{region_code}MA{serial:07d}"
    return body + uscc.calc_check_digit(body)


def random_birth(rng: random.Random, youngest: int, oldest: int, today: date) -> date:
    return today - timedelta(days=rng.randint(youngest * 365, oldest * 365))


# The demo working-day calendar (apps.core.workdays). DEMO DATA, not the State Council's notice: an
# administrator enters the real list from 国务院办公厅关于部分节假日安排的通知 each year.
DEMO_CALENDAR_SOURCE = "演示数据，以国务院办公厅通知为准"
DEMO_HOLIDAYS = {
    2026: [("元旦", "2026-01-01", "2026-01-03"), ("春节", "2026-02-15", "2026-02-23"),
           ("清明节", "2026-04-04", "2026-04-06"), ("劳动节", "2026-05-01", "2026-05-05"),
           ("端午节", "2026-06-19", "2026-06-21"), ("中秋节", "2026-09-25", "2026-09-27"),
           ("国庆节", "2026-10-01", "2026-10-07")],
    2027: [("元旦", "2027-01-01", "2027-01-03"), ("春节", "2027-02-06", "2027-02-12"),
           ("劳动节", "2027-05-01", "2027-05-05"), ("国庆节", "2027-10-01", "2027-10-07")],
}
DEMO_WORKDAYS = [("春节调休上班", "2026-02-14"), ("春节调休上班", "2026-02-28"), ("劳动节调休上班", "2026-05-09"),
                 ("国庆节调休上班", "2026-09-20"), ("国庆节调休上班", "2026-10-10"),
                 ("春节调休上班", "2027-02-14"), ("国庆节调休上班", "2027-09-26"), ("国庆节调休上班", "2027-10-09")]


def seed_calendar(*, rng) -> str:
    """Holidays and 调休 days of 2026 and 2027 for the demo, each named and sourced as demo data. Idempotent:
    a day already in the calendar (an administrator's entry) is left as it is."""
    from apps.core.models import CalendarDay

    rows = []
    for holidays in DEMO_HOLIDAYS.values():
        for name, first, last in holidays:
            day, end = date.fromisoformat(first), date.fromisoformat(last)
            while day <= end:
                rows.append(CalendarDay(date=day, kind=CalendarDay.Kind.HOLIDAY, name=f"{name}（演示）",
                                        source=DEMO_CALENDAR_SOURCE))
                day += timedelta(days=1)
    rows += [CalendarDay(date=date.fromisoformat(day), kind=CalendarDay.Kind.WORKDAY, name=f"{name}（演示）",
                         source=DEMO_CALENDAR_SOURCE) for name, day in DEMO_WORKDAYS]
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    new = [row for row in rows if row.date not in existing]
    CalendarDay.objects.bulk_create(new)
    return f"节假日与调休（{DEMO_CALENDAR_SOURCE}）：新增 {len(new)} 天"
