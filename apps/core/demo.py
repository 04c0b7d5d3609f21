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
