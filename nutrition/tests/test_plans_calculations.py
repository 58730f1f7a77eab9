"""Pure target calculations against hand-computed numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nutrition import calculations as calc


def test_age_counts_whole_years():
    assert calc.age_on(dt.date(1990, 6, 15), dt.date(2020, 6, 14)) == 29
    assert calc.age_on(dt.date(1990, 6, 15), dt.date(2020, 6, 15)) == 30


def test_mifflin_st_jeor_male():
    # 10·80 + 6.25·180 − 5·30 + 5 = 800 + 1125 − 150 + 5
    assert calc.bmr_mifflin_st_jeor(sex="male", weight_kg=Decimal(80), height_cm=Decimal(180), age=30) == 1780


def test_mifflin_st_jeor_female():
    # 10·60 + 6.25·165 − 5·25 − 161 = 600 + 1031.25 − 125 − 161
    assert calc.bmr_mifflin_st_jeor(sex="female", weight_kg=Decimal(60), height_cm=Decimal(165), age=25) == Decimal(
        "1345.25"
    )


@pytest.mark.parametrize("sex", ["other", "prefer_not_to_say"])
def test_mifflin_st_jeor_other_is_the_average_of_both(sex):
    male = calc.bmr_mifflin_st_jeor(sex="male", weight_kg=Decimal(70), height_cm=Decimal(170), age=40)
    female = calc.bmr_mifflin_st_jeor(sex="female", weight_kg=Decimal(70), height_cm=Decimal(170), age=40)
    assert (
        calc.bmr_mifflin_st_jeor(sex=sex, weight_kg=Decimal(70), height_cm=Decimal(170), age=40) == (male + female) / 2
    )


def test_maintenance_target_is_tdee():
    t = calc.targets_compute(
        sex="male", age=30, height_cm=Decimal(180), weight_kg=Decimal(80),
        activity_level="moderately_active", goal="general_fitness",
    )  # fmt: skip
    assert t.bmr_kcal == 1780
    assert t.tdee_kcal == 2759  # 1780 × 1.55 = 2759
    assert t.energy_target_kcal == 2759
    assert (t.energy_min_kcal, t.energy_max_kcal) == (2483, 3035)  # ∓10 %
    assert t.protein_g == Decimal(128)  # 1.6 g/kg × 80
    assert t.fat_g == Decimal(92)  # 30 % of 2759 / 9 = 91.97
    assert t.carbohydrate_g == Decimal(355)  # (2759 − 512 − 828) / 4 = 354.75
    assert t.fiber_g == Decimal("38.6")  # 14 × 2.759
    assert "Mifflin-St Jeor" in t.rationale and "1.55" in t.rationale


def test_fat_loss_is_20_percent_below_tdee():
    t = calc.targets_compute(
        sex="female", age=25, height_cm=Decimal(165), weight_kg=Decimal(60),
        activity_level="sedentary", goal="fat_loss",
    )  # fmt: skip
    assert t.tdee_kcal == 1614  # 1345.25 × 1.2 = 1614.3
    assert t.energy_target_kcal == 1291  # × 0.8 = 1291.44
    assert t.protein_g == Decimal(113)  # 2.0 g/kg would be 120 g = 37 %: capped at 35 % (1291 × 0.35 / 4)


def test_fat_loss_never_goes_below_the_floor():
    # 10·45 + 6.25·150 − 5·60 − 161 = 926.5; × 1.2 = 1111.8 < 1200: the target is the TDEE, not below it.
    small = calc.targets_compute(
        sex="female", age=60, height_cm=Decimal(150), weight_kg=Decimal(45), activity_level="sedentary", goal="fat_loss"
    )
    assert small.energy_target_kcal == 1112
    # A man whose −20 % would be 1,440 gets 1,500.  BMR = 10·60 + 6.25·160 − 5·50 + 5 = 1355; × 1.375 = 1863.1
    man = calc.targets_compute(
        sex="male", age=50, height_cm=Decimal(160), weight_kg=Decimal(60), activity_level="lightly_active",
        goal="fat_loss",
    )  # fmt: skip
    assert man.energy_target_kcal == 1500


def test_muscle_gain_is_10_percent_above_tdee():
    t = calc.targets_compute(
        sex="male", age=30, height_cm=Decimal(180), weight_kg=Decimal(80),
        activity_level="moderately_active", goal="muscle_gain",
    )  # fmt: skip
    assert t.energy_target_kcal == 3035  # 2759 × 1.1 = 3034.9


def test_targets_are_clamped_to_5000():
    t = calc.targets_compute(
        sex="male", age=20, height_cm=Decimal(210), weight_kg=Decimal(150),
        activity_level="extremely_active", goal="muscle_gain",
    )  # fmt: skip
    assert t.energy_target_kcal == 5000
    assert t.energy_min_kcal == 4500 and t.energy_max_kcal == 5500  # still strictly around the target


@pytest.mark.parametrize("diet", ["omnivore", "vegan", "vegetarian", "keto", "mediterranean", "paleo"])
@pytest.mark.parametrize("goal", ["fat_loss", "muscle_gain", "general_fitness"])
def test_percentages_sum_to_100_and_grams_match_energy(diet, goal):
    t = calc.targets_compute(
        sex="female", age=35, height_cm=Decimal(170), weight_kg=Decimal("72.5"),
        activity_level="very_active", goal=goal, diet_type=diet,
    )  # fmt: skip
    assert t.protein_pct + t.carbohydrate_pct + t.fat_pct == 100
    assert min(t.protein_g, t.carbohydrate_g, t.fat_g) > 0
    calc.validate_macros_match_energy(
        energy_kcal=t.energy_target_kcal, protein_g=t.protein_g, carbohydrate_g=t.carbohydrate_g, fat_g=t.fat_g
    )
    if diet == "keto":
        assert t.carbohydrate_g <= 50
    else:
        assert t.fat_pct >= 25


def test_vegan_protein_is_a_little_higher():
    common = {"sex": "male", "age": 30, "height_cm": Decimal(180), "weight_kg": Decimal(80)}
    common |= {"activity_level": "moderately_active", "goal": "general_fitness"}
    assert calc.targets_compute(**common, diet_type="vegan").protein_g == Decimal(144)  # 1.8 g/kg


def test_percentages_fix_the_remainder():
    p, c, f = calc.macro_percentages(protein_g=100, carbohydrate_g=100, fat_g=Decimal(400) / 9)
    assert (p, c, f) == (Decimal("33.4"), Decimal("33.3"), Decimal("33.3")) or p + c + f == 100
    assert p + c + f == 100


def test_validator_accepts_within_50_kcal():
    # 150·4 + 250·4 + 70·9 = 2230
    calc.validate_macros_match_energy(energy_kcal=2200, protein_g=150, carbohydrate_g=250, fat_g=70)
    calc.validate_macros_match_energy(energy_kcal=2280, protein_g=150, carbohydrate_g=250, fat_g=70)


def test_validator_refuses_beyond_50_kcal():
    with pytest.raises(ValidationError, match="2,230 kcal"):
        calc.validate_macros_match_energy(energy_kcal=2281, protein_g=150, carbohydrate_g=250, fat_g=70)
