"""fitjourney.units: body lengths (circumferences) in the person's centimetres or inches."""

from __future__ import annotations

from decimal import Decimal

from fitjourney import units


def test_a_body_length_is_shown_in_centimetres_or_inches():
    assert units.length_unit("metric") == "cm" and units.length_unit("imperial") == "in"
    assert units.length_shown(Decimal("0.825"), "metric") == Decimal("82.5")
    assert units.length_shown(Decimal("0.8128"), "imperial") == Decimal("32.0")
    assert units.length_display(Decimal("0.825"), "metric") == "82.5 cm"
    assert units.length_display(Decimal("0.8255"), "imperial") == "32.5 in"
    assert units.length_display(None, "imperial") == "" and units.length_shown("", "metric") is None
