"""The fee of an asset use: tariff × period (× area), in whole rupiah.

per_hari: each day of the period counts (first and last day included);
per_bulan: every started month of 30 days counts; per_tahun: every started year;
per_m2_tahun: area × tariff × the period's share of a year (days / 365)."""

from decimal import ROUND_HALF_UP, Decimal
from math import ceil

from models import TariffUnit


def period_days(start, end):
    return (end - start).days + 1


def compute_fee(tariff_amount, tariff_unit, start, end, area_m2=None):
    if end < start:
        raise ValueError("the period ends before it starts")
    amount = Decimal(str(tariff_amount or 0))
    days = period_days(start, end)
    unit = TariffUnit(tariff_unit)
    if unit is TariffUnit.PER_DAY:
        fee = amount * days
    elif unit is TariffUnit.PER_MONTH:
        fee = amount * ceil(days / 30)
    elif unit is TariffUnit.PER_YEAR:
        fee = amount * ceil(days / 365)
    else:
        fee = amount * Decimal(str(area_m2 or 0)) * Decimal(days) / Decimal(365)
    return fee.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
