"""The land area drawn on the map against the area the applicant declared: a difference of
more than 10 % of the declared area is worth a warning."""

from decimal import Decimal

import pytest

from app.geo import compare_areas, polygon_area_m2
from tests.support import POLYGON


def test_a_polygon_within_ten_percent_of_the_declared_area_is_not_flagged():
    comparison = compare_areas(Decimal("260"), Decimal("250"))
    assert (comparison.mapped_m2, comparison.declared_m2) == (Decimal("260"), Decimal("250"))
    assert comparison.difference_percent == 4
    assert not comparison.warn


@pytest.mark.parametrize("mapped", ["225", "275"])
def test_exactly_ten_percent_off_is_still_within_the_tolerance(mapped):
    assert not compare_areas(Decimal(mapped), Decimal("250")).warn


def test_a_polygon_eleven_times_the_declared_area_is_flagged():
    comparison = compare_areas(Decimal("2937"), Decimal("250"))
    assert comparison.warn
    assert comparison.difference_percent == 1075


def test_a_polygon_much_smaller_than_the_declared_area_is_flagged_too():
    comparison = compare_areas(Decimal("200"), Decimal("250"))
    assert comparison.warn and comparison.difference_percent == -20


def test_without_a_declared_area_there_is_nothing_to_compare():
    comparison = compare_areas(Decimal("2937"), None)
    assert comparison.mapped_m2 == Decimal("2937") and comparison.declared_m2 is None
    assert comparison.difference_percent is None and not comparison.warn


def test_without_a_polygon_there_is_nothing_to_compare():
    comparison = compare_areas(None, Decimal("250"))
    assert comparison.mapped_m2 is None and comparison.declared_m2 == Decimal("250")
    assert comparison.difference_percent is None and not comparison.warn


def test_a_declared_area_of_zero_is_not_divided_by():
    assert not compare_areas(Decimal("10"), Decimal("0")).warn


def test_the_sample_polygon_measures_about_three_thousand_square_metres():
    assert 3000 < polygon_area_m2(POLYGON) < 3100
