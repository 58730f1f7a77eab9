"""Reads for the food database: what a person may see, search as you type, one food and its portions."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, TrigramStrictWordSimilarity, TrigramWordSimilarity
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    CharField,
    DecimalField,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    UUIDField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, JSONObject, Lower
from django.utils import timezone

from accounts.models import User
from fitjourney.errors import NotFound

from ..models import NUTRIENTS, Food, Portion

# Columns a result row shows; description, vitamins, minerals and the search vector stay in the database.
RESULT_FIELDS = ("id", "name", "brand", "category", "serving_size", "serving_unit", "tags", "is_system",
                 "is_verified", "owner_id", *NUTRIENTS)  # fmt: skip
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A typed word matches a name that holds a word this similar to it ("chiken" ~ "chicken" 0.5, "brest" ~
# "breast" 0.5): looser than pg_trgm's default 0.6, so it is applied only to rows the index found first.
WORD_SIMILARITY = 0.5
# ...and strictly word-similar (whole words): "brest" ~ "breast" 0.44, "banan" ~ "bannock" 0.27 (noise).
STRICT_SIMILARITY = 0.4
# "Recent and frequent": the person's meal items of this many days count.
RECENT_DAYS = 90


def foods_visible(*, user: User | AnonymousUser | None) -> QuerySet[Food]:
    """System foods and the person's own (people's foods are private); never soft-deleted ones."""
    return Food.objects.visible_to(user)


def food_get_visible(*, user: User | AnonymousUser | None, food_id: uuid.UUID | str) -> Food:
    """One food the person may see, with its portions (two queries); anything else is NotFound (a 404), never a 403."""
    try:
        return foods_visible(user=user).prefetch_related("portions").get(pk=food_id)
    except (Food.DoesNotExist, ValueError, TypeError, ValidationError) as error:
        raise NotFound("No such food.") from error


def food_portions(*, food: Food) -> QuerySet[Portion]:
    """The household measures of a food in the data set's order ("1 medium" before "1 cup, sliced")."""
    return Portion.objects.filter(food=food).order_by("seq")


def _tsquery(words: list[str]) -> SearchQuery:
    """["chiken", "bre"] -> 'chiken':* & 'bre':* (english), so a word matches while it is being typed."""
    return SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config="english")


def _personal(queryset: QuerySet[Food], user: User | AnonymousUser | None) -> tuple[QuerySet[Food], bool]:
    """Joins the person's FoodUsage row of each candidate (unique (person, food): at most one row, read
    through its index; the cost is the candidates', not the diary's) and annotates `times_eaten` (items
    counted, 0 when last eaten more than RECENT_DAYS ago: "recent and frequent" in one number) and the
    last quantity, unit and portion (the default the next time)."""
    if user is None or not user.is_authenticated:
        return queryset.annotate(
            times_eaten=Value(0, output_field=IntegerField()),
            last_quantity=Value(None, output_field=DecimalField()),
            last_unit=Value("", output_field=CharField()),
            last_portion_id=Value(None, output_field=UUIDField()),
        ), False
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    queryset = queryset.alias(mine=FilteredRelation("usages", condition=Q(usages__user=user)))
    return queryset.annotate(
        times_eaten=Case(When(mine__last_used_at__gte=since, then=F("mine__use_count")), default=Value(0)),
        last_quantity=F("mine__last_quantity"),
        last_unit=Coalesce(F("mine__last_unit"), Value("")),
        last_portion_id=F("mine__last_portion_id"),
    ), True


def _portions_column() -> ArraySubquery:
    # The household portions travel with each row as JSON, so a result page is one query (no prefetch).
    return ArraySubquery(
        Portion.objects.filter(food=OuterRef("pk"))
        .order_by("seq")
        .values(
            json=JSONObject(id="id", seq="seq", amount="amount", description="description", gram_weight="gram_weight")
        )
    )


# The ranking of a matching row, higher first, as one SQL expression (it runs on every candidate, a
# thousand for "beef"; ORM expressions cost more to build than the query). Per typed word (weights 1/n):
# a whole word of the name (+1, plurals too: "apple" ~ "Apples"), else the start of one (+0.6, still
# typing: "banan"), else nothing (a category or typo match). The name's head, its first comma segment,
# being the query ("Rice", "Orange juice", "Bananas") +0.6, or holding the first word +0.3. Then the
# food's common-form prior (Food.commonness, from nutrition.ranking), and shorter names first.
_SCORE_SQL = """
    ({words})
    + (CASE WHEN split_part(lower("nutrition_food"."name"), ',', 1) ~ %s THEN 0.6
            WHEN split_part(lower("nutrition_food"."name"), ',', 1) ~ %s THEN 0.3 ELSE 0.0 END)
    + "nutrition_food"."commonness"
    - length("nutrition_food"."name") * 0.002
"""
_WORD_SQL = """(CASE WHEN lower("nutrition_food"."name") ~ %s THEN {whole}
                     WHEN lower("nutrition_food"."name") ~ %s THEN {prefix} ELSE 0.0 END)"""


def _score(words: list[str]) -> RawSQL:
    # Words are letters and digits only (_WORD), so nothing in them is special to a regex.
    share = 1.0 / len(words)
    parts, params = [], []
    for word in words:
        parts.append(_WORD_SQL.format(whole=share, prefix=round(share * 0.6, 4)))
        params += [rf"\m{word}(s|es)?\M", rf"\m{word}"]
    head = " ".join(rf"{word}\w*" for word in words)
    sql = _SCORE_SQL.format(words=" + ".join(parts))
    return RawSQL(sql, [*params, rf"^\s*{head}\s*$", rf"\m{words[0]}"], output_field=FloatField())


def foods_search(
    *, user: User | AnonymousUser | None, q: str = "", category: str | None = None, limit: int | None = 20
) -> QuerySet[Food]:
    """Foods the person may see matching `q` (and `category`), best first, in one query (household
    portions included as `portion_list`; `times_eaten` and the last quantity/unit/portion from the
    person's FoodUsage).

    Matching: every typed word as a prefix in the full-text vector ("banan", "chicken bre"); or, for
    typos, the first three letters of every word as prefixes (index) with each word then trigram
    word-similar to the name (>= 0.5, "chiken" ~ "chicken") and strictly so (>= STRICT_SIMILARITY, which
    keeps "banan" from "Bannock"). Ranking: the person's recent and frequent foods on top, then the
    text match and the food's common form (_SCORE_SQL). Without `q`: every visible food (of the
    category), the person's own recent ones first, then by name, to browse page by page.
    `limit=None` to paginate.
    """
    queryset: QuerySet[Food] = foods_visible(user=user).only(*RESULT_FIELDS).annotate(portion_list=_portions_column())
    if category:
        queryset = queryset.filter(category=category)
    queryset, personal = _personal(queryset, user)
    text = " ".join(q.split()).lower()[:100]
    words = _WORD.findall(text)[:8]
    if not words:
        ordered = queryset.order_by(*(["-times_eaten"] if personal else []), "name", "id")
        return ordered[:limit] if limit is not None else ordered

    queryset = queryset.alias(lname=Lower("name"))
    matches = Q(search_vector=_tsquery(words))
    if any(len(word) > 3 for word in words):
        fuzzy = Q(search_vector=_tsquery([word[:3] for word in words]))
        for index, word in enumerate(words):
            queryset = queryset.alias(
                **{
                    f"word_sim_{index}": TrigramWordSimilarity(word, "lname"),
                    f"strict_sim_{index}": TrigramStrictWordSimilarity(word, "lname"),
                }
            )
            fuzzy &= Q(search_vector=_tsquery([word])) | Q(
                **{f"word_sim_{index}__gte": WORD_SIMILARITY, f"strict_sim_{index}__gte": STRICT_SIMILARITY}
            )
        matches |= fuzzy
    queryset = queryset.filter(matches).annotate(score=_score(words))
    ordered = queryset.order_by(*(["-times_eaten"] if personal else []), "-score", "name", "id")
    return ordered[:limit] if limit is not None else ordered
