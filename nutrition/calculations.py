"""Daily energy and macro targets: pure functions, no database, so every number can be unit-tested.

BMR by Mifflin-St Jeor, times an activity multiplier (TDEE), adjusted for the goal, then split into
protein (grams per kg of body weight by goal), fat (a share of energy) and carbohydrate (the rest).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

from fitjourney import units

KCAL_PER_G = {"protein": 4, "carbohydrate": 4, "fat": 9}
ENERGY_TOLERANCE_KCAL = 50  # seed 003 "Calorie Calculations": macros sum to the target ±50 kcal
ENERGY_FLOOR, ENERGY_CEILING = 1000, 5000  # seed 003 meal_plans.valid_calories
RANGE_SHARE = Decimal("0.10")  # min/max = target ∓ 10 %
FIBER_G_PER_1000_KCAL = Decimal(14)  # Dietary Guidelines / IOM adequate intake

ACTIVITY_MULTIPLIERS = {
    "sedentary": Decimal("1.2"),
    "lightly_active": Decimal("1.375"),
    "moderately_active": Decimal("1.55"),
    "very_active": Decimal("1.725"),
    "extremely_active": Decimal("1.9"),
}
ACTIVITY_WORDS = {
    "sedentary": "little or no exercise",
    "lightly_active": "light exercise 1–3 days a week",
    "moderately_active": "moderate exercise 3–5 days a week",
    "very_active": "hard exercise 6–7 days a week",
    "extremely_active": "a physical job or training twice a day",
}

# Goal → (energy change, protein g per kg of body weight).
GOAL_ENERGY_CHANGE = {"fat_loss": Decimal("-0.20"), "muscle_gain": Decimal("0.10")}
PROTEIN_G_PER_KG = {"fat_loss": Decimal("2.0"), "muscle_gain": Decimal("1.8")}
PROTEIN_G_PER_KG_DEFAULT = Decimal("1.6")
# Plant protein is digested a little less well, so plant-based diets get a little more (never above 2.2).
PROTEIN_PLANT_BONUS = {"vegan": Decimal("0.2"), "vegetarian": Decimal("0.1")}
PROTEIN_G_PER_KG_MAX = Decimal("2.2")
PROTEIN_MAX_SHARE = Decimal("0.35")  # of energy: heavy people do not get an extreme protein target
CARB_MIN_SHARE = Decimal("0.20")  # of energy, except keto

# Fat share of energy by diet type; at least 25 % for everyone (hormones, fat-soluble vitamins).
FAT_SHARE = {"mediterranean": Decimal("0.35"), "paleo": Decimal("0.35")}
FAT_SHARE_DEFAULT = Decimal("0.30")
KETO_CARB_MAX_G = 50
KETO_CARB_SHARE = Decimal("0.05")

# The lowest fat-loss target by sex (common clinical floors); unknown sex takes the average.
FAT_LOSS_FLOOR = {"female": 1200, "male": 1500}
FAT_LOSS_FLOOR_OTHER = 1350

GOAL_WORDS = {"fat_loss": "fat loss", "muscle_gain": "muscle gain", "general_fitness": "general fitness"}


def _round(value: Decimal | float, places: str = "1") -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def age_on(birth_date: dt.date, today: dt.date) -> int:
    """Whole years on `today`."""
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def bmr_mifflin_st_jeor(*, sex: str, weight_kg: Decimal, height_cm: Decimal, age: int) -> Decimal:
    """Mifflin-St Jeor (1990): 10·kg + 6.25·cm − 5·age + 5 (men) or − 161 (women).

    For "other" and "prefer not to say" the average of both constants (−78) is used: halfway between
    the two equations rather than guessing one."""
    base = 10 * Decimal(weight_kg) + Decimal("6.25") * Decimal(height_cm) - 5 * age
    constant = {"male": 5, "female": -161}.get(sex, -78)
    return base + constant


def tdee(*, bmr: Decimal, activity_level: str) -> Decimal:
    return bmr * ACTIVITY_MULTIPLIERS[activity_level]


def goal_target_kcal(*, tdee_kcal: Decimal, goal: str, sex: str) -> int:
    """TDEE adjusted for the goal, whole kcal, within 1,000–5,000. A fat-loss target never goes below
    the floor for the person's sex (unless their TDEE itself is lower: then it is the TDEE)."""
    target = tdee_kcal * (1 + GOAL_ENERGY_CHANGE.get(goal, Decimal(0)))
    if goal == "fat_loss":
        floor = Decimal(FAT_LOSS_FLOOR.get(sex, FAT_LOSS_FLOOR_OTHER))
        target = max(target, min(floor, tdee_kcal))
    return int(min(max(_round(target), Decimal(ENERGY_FLOOR)), Decimal(ENERGY_CEILING)))


def energy_range(target: int) -> tuple[int, int]:
    """Target ∓ 10 %, clamped to 1,000–5,000 but always strictly below and above the target."""
    low, high = int(_round(target * (1 - RANGE_SHARE))), int(_round(target * (1 + RANGE_SHARE)))
    if max(low, ENERGY_FLOOR) < target:
        low = max(low, ENERGY_FLOOR)
    if min(high, ENERGY_CEILING) > target:
        high = min(high, ENERGY_CEILING)
    return low, high


def macro_energy(*, protein_g, carbohydrate_g, fat_g) -> Decimal:
    return (
        Decimal(protein_g) * KCAL_PER_G["protein"]
        + Decimal(carbohydrate_g) * KCAL_PER_G["carbohydrate"]
        + Decimal(fat_g) * KCAL_PER_G["fat"]
    )


def macro_percentages(*, protein_g, carbohydrate_g, fat_g) -> tuple[Decimal, Decimal, Decimal]:
    """Each macro's share of the macro energy, to 0.1 %, adding up to exactly 100.0: every share is
    rounded down, then the tenths left over go to the largest remainders (Hamilton's method)."""
    energies = [
        Decimal(protein_g) * KCAL_PER_G["protein"],
        Decimal(carbohydrate_g) * KCAL_PER_G["carbohydrate"],
        Decimal(fat_g) * KCAL_PER_G["fat"],
    ]
    total = sum(energies)
    if total <= 0:
        raise ValidationError("The macros must add up to some energy.")
    tenths = [e * 1000 / total for e in energies]
    floors = [int(t) for t in tenths]
    for index in sorted(range(3), key=lambda i: tenths[i] - floors[i], reverse=True)[: 1000 - sum(floors)]:
        floors[index] += 1
    return tuple(Decimal(f) / 10 for f in floors)  # type: ignore[return-value]


def validate_macros_match_energy(*, energy_kcal, protein_g, carbohydrate_g, fat_g) -> None:
    """Seed 003: protein·4 + carbohydrate·4 + fat·9 must be within ±50 kcal of the energy target."""
    macros = macro_energy(protein_g=protein_g, carbohydrate_g=carbohydrate_g, fat_g=fat_g)
    difference = macros - Decimal(energy_kcal)
    if abs(difference) > ENERGY_TOLERANCE_KCAL:
        raise ValidationError(
            "The macros add up to %(macros)s kcal (protein × 4 + carbohydrate × 4 + fat × 9), %(diff)s kcal "
            "%(direction)s the %(target)s kcal target; they must be within ±50 kcal.",
            code="macros_energy",
            params={
                "macros": f"{_round(macros):,}",
                "diff": f"{abs(_round(difference)):,}",
                "direction": "above" if difference > 0 else "below",
                "target": f"{int(energy_kcal):,}",
            },
        )


@dataclass(frozen=True)
class Targets:
    energy_target_kcal: int
    energy_min_kcal: int
    energy_max_kcal: int
    protein_g: Decimal
    carbohydrate_g: Decimal
    fat_g: Decimal
    fiber_g: Decimal
    protein_pct: Decimal
    carbohydrate_pct: Decimal
    fat_pct: Decimal
    bmr_kcal: int
    tdee_kcal: int
    rationale: str
    inputs: dict = field(default_factory=dict)


def _per_body_weight(grams_per_kg: Decimal, who: units.UnitSystem) -> str:
    """A protein rate as the person reads it: "1.6 g per kg" or, in pounds, "0.73 g per lb"."""
    if units.is_imperial(who):
        return f"{_round(grams_per_kg * units.KG_PER_LB, '0.01')} g per {units.weight_unit(who)}"
    return f"{grams_per_kg} g per {units.weight_unit(who)}"


def macro_split(
    *, energy_kcal: int, weight_kg: Decimal, goal: str, diet_type: str, unit_system: units.UnitSystem = units.METRIC
) -> tuple[Decimal, Decimal, Decimal, list[str]]:
    """(protein g, carbohydrate g, fat g, explanation lines, with body weight in `unit_system`). Carbohydrate
    takes what protein and fat leave, so the grams always add up to the energy within a few kcal of rounding."""
    energy = Decimal(energy_kcal)
    notes: list[str] = []
    per_kg = PROTEIN_G_PER_KG.get(goal, PROTEIN_G_PER_KG_DEFAULT)
    bonus = PROTEIN_PLANT_BONUS.get(diet_type, Decimal(0))
    per_kg = min(per_kg + bonus, PROTEIN_G_PER_KG_MAX)
    protein = _round(Decimal(weight_kg) * per_kg)
    notes.append(
        f"Protein: {_per_body_weight(per_kg, unit_system)} of body weight ({protein} g) "
        f"for {GOAL_WORDS.get(goal, 'your goal')}"
        + (", a little more because plant protein is digested slightly less well" if bonus else "")
        + "."
    )

    if diet_type == "keto":
        carbs = _round(min(Decimal(KETO_CARB_MAX_G), energy * KETO_CARB_SHARE / 4))
        protein = min(protein, _round(energy * PROTEIN_MAX_SHARE / 4))
        fat = _round((energy - protein * 4 - carbs * 4) / 9)
        notes.append(
            f"Carbohydrate: {carbs} g, about 5 % of energy and never above {KETO_CARB_MAX_G} g, to stay in ketosis."
        )
        notes.append(f"Fat: {fat} g, the rest of the energy, as a keto diet is mostly fat.")
        return protein, carbs, fat, notes

    fat_share = FAT_SHARE.get(diet_type, FAT_SHARE_DEFAULT)
    fat = _round(energy * fat_share / 9)
    protein_cap = _round(min(energy * PROTEIN_MAX_SHARE, energy * (1 - fat_share - CARB_MIN_SHARE)) / 4)
    if protein > protein_cap:
        protein = protein_cap
        notes.append(
            f"Capped at {protein} g so that protein stays at most 35 % of energy and carbohydrate gets at least 20 %."
        )
    carbs = _round((energy - protein * 4 - fat * 9) / 4)
    notes.append(
        f"Fat: {int(fat_share * 100)} % of energy ({fat} g)"
        + (", a little more for a Mediterranean/paleo style" if diet_type in FAT_SHARE else "")
        + "; never below 25 %, which hormones and fat-soluble vitamins need."
    )
    notes.append(f"Carbohydrate: the rest of the energy ({carbs} g), the main fuel for training.")
    return protein, carbs, fat, notes


def targets_compute(
    *,
    sex: str,
    age: int,
    height_cm: Decimal,
    weight_kg: Decimal,
    activity_level: str,
    goal: str,
    diet_type: str = "omnivore",
    unit_system: units.UnitSystem = units.METRIC,
) -> Targets:
    """Everything a meal plan stores, with a rationale that explains each number in plain words (height and
    weight in the person's `unit_system`; the equation itself works in cm and kg)."""
    bmr = bmr_mifflin_st_jeor(sex=sex, weight_kg=weight_kg, height_cm=height_cm, age=age)
    total = tdee(bmr=bmr, activity_level=activity_level)
    target = goal_target_kcal(tdee_kcal=total, goal=goal, sex=sex)
    low, high = energy_range(target)
    protein, carbs, fat, macro_notes = macro_split(
        energy_kcal=target, weight_kg=weight_kg, goal=goal, diet_type=diet_type, unit_system=unit_system
    )
    fiber = _round(Decimal(target) / 1000 * FIBER_G_PER_1000_KCAL, "0.1")
    p_pct, c_pct, f_pct = macro_percentages(protein_g=protein, carbohydrate_g=carbs, fat_g=fat)

    body = (
        f"{units.height_display(Decimal(height_cm) / 100, units.system_of(unit_system))}, "
        f"{units.weight_display(weight_kg, unit_system)}"
    )
    lines = []
    if sex in ("male", "female"):
        lines.append(f"Resting energy (BMR, Mifflin-St Jeor for a {sex} of {age}, {body}): {_round(bmr):,} kcal a day.")
    else:
        lines.append(
            f"Resting energy (BMR, Mifflin-St Jeor, {age} years, {body}): {_round(bmr):,} kcal"
            " a day. The equation differs for women and men; as you did not give one, we used the average of both."
        )
    lines.append(
        f"Daily energy use (TDEE): BMR × {ACTIVITY_MULTIPLIERS[activity_level]} for "
        f"{ACTIVITY_WORDS[activity_level]} = {_round(total):,} kcal."
    )
    if goal == "fat_loss":
        floor = FAT_LOSS_FLOOR.get(sex, FAT_LOSS_FLOOR_OTHER)
        lines.append(f"Target: 20 % below your TDEE for steady fat loss, never below {floor:,} kcal: {target:,} kcal.")
    elif goal == "muscle_gain":
        lines.append(f"Target: 10 % above your TDEE, a small surplus for building muscle: {target:,} kcal.")
    else:
        lines.append(f"Target: your TDEE, to keep your weight steady for general fitness: {target:,} kcal.")
    lines.append(f"Range: {low:,}–{high:,} kcal (about ±10 %); any day inside it is on track.")
    lines.extend(macro_notes)
    lines.append(f"Split of energy: protein {p_pct} %, carbohydrate {c_pct} %, fat {f_pct} %.")
    lines.append(f"Fiber: {fiber} g (14 g per 1,000 kcal).")

    return Targets(
        energy_target_kcal=target,
        energy_min_kcal=low,
        energy_max_kcal=high,
        protein_g=protein,
        carbohydrate_g=carbs,
        fat_g=fat,
        fiber_g=fiber,
        protein_pct=p_pct,
        carbohydrate_pct=c_pct,
        fat_pct=f_pct,
        bmr_kcal=int(_round(bmr)),
        tdee_kcal=int(_round(total)),
        rationale="\n".join(lines),
        inputs={
            "sex": sex,
            "age": age,
            "height_cm": str(height_cm),
            "weight_kg": str(weight_kg),
            "activity_level": activity_level,
            "goal": goal,
            "diet_type": diet_type,
            "bmr_kcal": int(_round(bmr)),
            "tdee_kcal": int(_round(total)),
        },
    )
