"""Dates, amounts and numbers as Indonesian official documents write them: "29 November
2029", "Rp1.500.000", "240,5", and amounts in words ("satu juta lima ratus ribu")."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")
ONES = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
        "sepuluh", "sebelas")
SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (1000, "ribu"),
          (100, "ratus"), (10, "puluh"))


def tanggal(value):
    """28 November 2026 (a date, a datetime, or an ISO date text); "-" when empty."""
    if value in (None, "", "-"):
        return "-"
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"


def _decimal(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def angka(value):
    """1.500.000 and 240,5: Indonesian separators, decimals only when there are any."""
    number = _decimal(value)
    if number is None:
        return "-" if value in (None, "") else str(value)
    text = f"{number:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    if text.endswith(",00"):
        return text[:-3]
    return text[:-1] if text.endswith("0") else text


def rupiah_text(value):
    """Rp1.500.000."""
    text = angka(value)
    return text if text == "-" else f"Rp{text}"


def terbilang(amount):
    """A non-negative whole number in Indonesian words: 1250000 -> "satu juta dua ratus lima
    puluh ribu"."""
    value = _decimal(amount)
    if value is None or value < 0 or value != value.to_integral_value():
        raise ValueError(f"terbilang needs a non-negative whole number, not {amount}")
    return _words(int(value))


def _words(n):
    if n < 12:
        return ONES[n]
    if n < 20:
        return f"{ONES[n - 10]} belas"
    size, name = next(scale for scale in SCALES if n >= scale[0])
    head, rest = divmod(n, size)
    one_prefix = head == 1 and size in (100, 1000)  # seratus, seribu; but satu juta
    words = f"se{name}" if one_prefix else f"{_words(head)} {name}"
    return f"{words} {_words(rest)}" if rest else words
