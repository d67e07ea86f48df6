"""Valid, fictitious identities: GB 11643 ID numbers, disability certificate numbers and Chinese
names. The demo streets, the benchmarks and the tests all make people with them, so they live
below every app (the demo is not test support)."""

from __future__ import annotations

import datetime
import random

from stdnum.cn import ric

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤祝"
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华红玉兰凤云建国志强海燕宏斌俊峰文秀梅"
    "春燕晓东雪梅长连德福桂花振华立新玉珍淑珍秀兰凤英玉梅建华建军明华小红国庆卫东丽娟"
)


def make_id_number(address_code: str, birth: datetime.date, sequence: int) -> str:
    """A GB 11643 number: address code + birth date + 3-digit sequence (odd = male) + check."""
    body = f"{address_code}{birth:%Y%m%d}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character it is given


def make_certificate_number(id_number: str, category: int, level: int) -> str:
    """A 第二代残疾人证 number: the ID number, the category digit and the level digit."""
    return f"{id_number}{category}{level}"


def person_name(rng: random.Random) -> str:
    """A fictitious name, deterministic from the generator ``rng``: a surname and one or two
    given characters."""
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given
