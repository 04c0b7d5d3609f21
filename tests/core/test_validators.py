from datetime import date

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric

from apps.core.demo import make_id_number, make_uscc
from apps.core.validators import id_number_facts, mask_id_number, validate_id_number, validate_uscc

VALID_ID = make_id_number("220102", date(1990, 5, 17), 3, female=True)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1"), "invalid_checksum"),
        (VALID_ID[:-2], "invalid_length"),
        ("22010219901317001" + ric.calc_check_digit("220102199013170010"), "invalid_component"),  # month 13
        ("2201021990051A003X", "invalid_format"),
    ],
)
def test_bad_id_numbers_are_refused_with_a_stable_code_and_chinese_message(value, code):
    with pytest.raises(ValidationError) as error:
        validate_id_number(value)
    assert error.value.code == code
    assert "身份证号" in error.value.messages[0]


def test_facts_come_from_the_id_number():
    facts = id_number_facts(VALID_ID.lower())
    assert (facts.birth_date, facts.sex, facts.birthplace_code) == (date(1990, 5, 17), "F", "220102")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (make_uscc("220102", 1)[:-1] + "0" if make_uscc("220102", 1)[-1] != "0" else "1", "invalid_checksum"),
        ("91220102MA0000001", "invalid_length"),
    ],
)
def test_bad_uscc_is_refused(value, code):
    with pytest.raises(ValidationError) as error:
        validate_uscc(value)
    assert error.value.code == code
    assert "统一社会信用代码" in error.value.messages[0]


def test_generated_uscc_is_valid():
    assert validate_uscc(make_uscc("220204", 42)) == make_uscc("220204", 42)


def test_masking_keeps_region_prefix_and_last_four_only():
    assert mask_id_number("22010219900517003X") == "2201**********003X"
    assert mask_id_number("") == ""
