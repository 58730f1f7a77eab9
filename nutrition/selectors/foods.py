"""Reads for the food database: what a person may see, search as you type, one food and its portions."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, TrigramWordSimilarity
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    Field,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject, Lower
from django.utils import timezone

from accounts.models import User
from fitjourney.errors import NotFound

from ..models import NUTRIENTS, Food, MealItem, Portion

# Columns a result row shows; description, vitamins, minerals and the search vector stay in the database.
RESULT_FIELDS = ("id", "name", "brand", "category", "serving_size", "serving_unit", "tags", "is_system",
                 "is_verified", "owner_id", *NUTRIENTS)  # fmt: skip
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A typed word matches a name that holds a word this similar to it ("chiken" ~ "chicken" 0.5, "brest" ~
# "breast" 0.5): looser than pg_trgm's default 0.6, so it is applied only to rows the index found first.
WORD_SIMILARITY = 0.5
# "Recent and frequent": the person's meal items of this many days count.
RECENT_DAYS = 90
# Names that mark a processed or branded form; generic foods come before them.
PROCESSED_CATEGORIES = ("Baby Foods", "Fast Foods", "Restaurant Foods", "Meals, Entrees, and Side Dishes")


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


def _personal(user: User | AnonymousUser | None) -> tuple[Q | None, Subquery | None]:
    """Whether the person ate a food in the last RECENT_DAYS (an uncorrelated subquery Postgres hashes
    once) and how many times (correlated, so always wrapped in CASE WHEN eaten: it runs only for the few
    rows the person ate, and a query matching a thousand foods does not probe the diary a thousand times).
    Counting recent items ranks by recent and frequent at once."""
    if user is None or not user.is_authenticated:
        return None, None
    since = timezone.localdate() - dt.timedelta(days=RECENT_DAYS)
    mine = MealItem.objects.filter(meal__user=user, meal__deleted_at__isnull=True, meal__date__gte=since).order_by()
    count = Subquery(mine.filter(food=OuterRef("pk")).values("food").annotate(n=Count("pk")).values("n")[:1])
    return Q(pk__in=mine.values("food_id")), count


def _when(condition: Q | None, value: Any, default: Any, output_field: Field[Any, Any]) -> Case | Value:
    if condition is None:
        return Value(default, output_field=output_field)
    return Case(When(condition, then=value), default=Value(default), output_field=output_field)


def _portions_column() -> ArraySubquery:
    # The household portions travel with each row as JSON, so a result page is one query (no prefetch).
    return ArraySubquery(
        Portion.objects.filter(food=OuterRef("pk"))
        .order_by("seq")
        .values(json=JSONObject(amount="amount", description="description", gram_weight="gram_weight"))
    )


# The ranking of a matching row, higher first. Written as one SQL expression: it runs on every candidate
# (a thousand for "beef"), and building it from ORM expressions costs more than the query itself.
# - text match: 1 for a full-text match; trigram word similarity (the costly part) only for typo matches;
# - the name starts with the first word (+1), with the whole text (+0.3), and the first word is the whole
#   head noun, "Bananas, raw" or "Egg, whole" rather than "Banana chips" or "Eggplant" (+0.5);
# - raw forms (+0.4); processed or branded names (capitals are brands: "Cereals, QUAKER, …") (-0.6);
# - shorter names, and the word earlier in the name, first.
_SCORE_SQL = """
    (CASE WHEN "nutrition_food"."search_vector" @@ to_tsquery('english', %s) THEN 1.0
          ELSE word_similarity(%s, lower("nutrition_food"."name")) END)
    + (CASE WHEN lower("nutrition_food"."name") LIKE %s THEN 1.0 ELSE 0.0 END)
    + (CASE WHEN lower("nutrition_food"."name") LIKE %s THEN 0.3 ELSE 0.0 END)
    + (CASE WHEN lower("nutrition_food"."name") ~ %s THEN 0.5 ELSE 0.0 END)
    + (CASE WHEN lower("nutrition_food"."name") LIKE '%%, raw' OR lower("nutrition_food"."name") LIKE '%%, raw,%%'
            THEN 0.4 ELSE 0.0 END)
    - (CASE WHEN "nutrition_food"."name" ~ '[A-Z]{3}' OR "nutrition_food"."category" = ANY(%s)
              OR lower("nutrition_food"."name") ~ '(prepared|frozen|canned|breaded|mix|babyfood)'
            THEN 0.6 ELSE 0.0 END)
    - length("nutrition_food"."name") * 0.006
    - strpos(lower("nutrition_food"."name"), %s) * 0.002
"""


def _score_params(words: list[str], clean: str) -> list[Any]:
    # Words are letters and digits only (_WORD), so nothing in them is special to LIKE or a regex.
    first = words[0]
    return [
        " & ".join(f"{word}:*" for word in words),
        clean,
        f"{first}%",
        f"{clean}%",
        f"^{first}(s|es)?(,|$)",
        list(PROCESSED_CATEGORIES),
        first,
    ]


def foods_search(*, user: User | AnonymousUser | None, q: str = "", limit: int | None = 20) -> QuerySet[Food]:
    """Foods the person may see matching `q`, best first, in one query (household portions included as
    `portion_list`; `times_eaten`: the person's meal items of the food in the last RECENT_DAYS days).

    Matching: every typed word as a prefix in the full-text vector ("banan", "chicken bre"); or, for
    typos, the first three letters of every word as prefixes (index) with each word then trigram
    word-similar to the name ("chiken brest", "brocoli"). pg_trgm's `%>` operator was measured and
    left out: at its 0.6 threshold it misses "chiken" and "brest" (0.5 each) and rechecks a thousand
    rows for "beef". Ranking: the person's recent and frequent foods on top, then _SCORE_SQL (common
    generic foods first). Without `q`: the person's recent and own foods. `limit=None` to paginate.
    """
    eaten, count = _personal(user)
    queryset = foods_visible(user=user).only(*RESULT_FIELDS).annotate(portion_list=_portions_column())
    text = " ".join(q.split()).lower()[:100]
    words = _WORD.findall(text)[:8]
    if not words:
        if eaten is None:
            return queryset.none()
        times_eaten = _when(eaten, count, 0, IntegerField())
        queryset = queryset.filter(Q(owner=user) | eaten).annotate(times_eaten=times_eaten)
        return queryset.order_by("-times_eaten", "name", "id")[:limit]

    queryset = queryset.alias(lname=Lower("name"))
    clean = " ".join(words)
    exact = Q(search_vector=_tsquery(words))
    matches = exact
    if any(len(word) > 3 for word in words):
        fuzzy = Q(search_vector=_tsquery([word[:3] for word in words]))
        for index, word in enumerate(words):
            queryset = queryset.alias(**{f"word_sim_{index}": TrigramWordSimilarity(word, "lname")})
            fuzzy &= Q(search_vector=_tsquery([word])) | Q(**{f"word_sim_{index}__gte": WORD_SIMILARITY})
        matches |= fuzzy
    score = RawSQL(_SCORE_SQL, _score_params(words, clean), output_field=FloatField())
    times_eaten = _when(eaten, count, 0, IntegerField())
    queryset = queryset.filter(matches).annotate(score=score, times_eaten=times_eaten)
    ordered = queryset.order_by(*(["-times_eaten"] if eaten is not None else []), "-score", "name", "id")
    return ordered[:limit] if limit is not None else ordered
