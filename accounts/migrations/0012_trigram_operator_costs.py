"""pg_trgm's operator functions are declared as cheap as an integer comparison (COST 1), so for a table the
size of the exercise library (~900 rows) or the food list (~8,800) the planner prefers reading every row and
computing trigram similarity on each over the GIN indexes built for exactly these operators. Measured on
the exercise search ("squat"): a sequential scan of 10.9–24.8 ms against 0.6 ms with the indexes. COST 100
(a "expensive C function", the same order as PostgreSQL's own full-text functions) lets the planner see it.

Extension member functions are changed only by their owner (the superuser who created the extension in
development, test and CI). Where the migrating role may not, the migration says so and goes on: searches
still work, only slower. `pg_dump` does not keep the cost of an extension's functions: after a restore, run
`manage.py migrate accounts 0011 && manage.py migrate` (bench/README.md)."""

from django.db import migrations

OPERATORS = (
    "similarity_op(text, text)",  # %
    "word_similarity_op(text, text)",  # <%
    "word_similarity_commutator_op(text, text)",  # %>
    "strict_word_similarity_op(text, text)",  # <<%
    "strict_word_similarity_commutator_op(text, text)",  # %>>
)


def _set_costs(cost: int) -> str:
    statements = "\n".join(f"    ALTER FUNCTION {function} COST {cost};" for function in OPERATORS)
    return f"""
DO $$
BEGIN
{statements}
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pg_trgm operator costs left unchanged: the migrating role does not own the extension';
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0011_audit_client_data_view")]

    operations = [migrations.RunSQL(_set_costs(100), reverse_sql=_set_costs(1))]
