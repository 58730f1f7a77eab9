"""Exercise aliases and popularity for the search (issue 14): aliases join the full-text vector (which
gains weights) and a new lowercase name-and-aliases column with its trigram index.

A GeneratedField's expression cannot be altered in place, so the search vector (and its index) is
dropped and added again; PostgreSQL recomputes it for every row, and the table is analyzed at the end. array_to_string is only STABLE, which
a generated column refuses, hence the IMMUTABLE wrapper for text[] (its output depends on no setting).
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.functions.text
from django.db import migrations, models

import training.models.library

ALIAS_TEXT_SQL = """
CREATE FUNCTION training_alias_text(text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT array_to_string($1, ' ') $$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0007_session_recorded_by"),
    ]

    operations = [
        migrations.RunSQL(ALIAS_TEXT_SQL, "DROP FUNCTION training_alias_text(text[]);"),
        migrations.AddField(
            model_name="exercise",
            name="aliases",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=80), blank=True, default=list
            ),
        ),
        migrations.AddField(
            model_name="exercise",
            name="popularity",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddConstraint(
            model_name="exercise",
            constraint=models.CheckConstraint(
                condition=models.Q(("popularity__lte", 100)), name="training_exercise_popularity_range"
            ),
        ),
        migrations.RemoveIndex(model_name="exercise", name="training_exercise_search"),
        migrations.RemoveField(model_name="exercise", name="search_vector"),
        migrations.AddField(
            model_name="exercise",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.SearchVector("name", config="english", weight="A"),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            training.models.library.AliasText("aliases"), config="english", weight="B"
                        ),
                        django.contrib.postgres.search.SearchConfig("english"),
                    ),
                    "||",
                    django.contrib.postgres.search.SearchVector("equipment", "category", config="english", weight="D"),
                    django.contrib.postgres.search.SearchConfig("english"),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="exercise",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="training_exercise_search"),
        ),
        migrations.AddField(
            model_name="exercise",
            name="search_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Lower(
                    django.db.models.functions.text.Concat(
                        "name",
                        models.Value(" "),
                        training.models.library.AliasText("aliases"),
                        output_field=models.TextField(),
                    )
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddIndex(
            model_name="exercise",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass("search_text", name="gin_trgm_ops"),
                name="training_exercise_text_trgm",
            ),
        ),
        # New columns have no statistics until autovacuum comes by: without them the planner may read the
        # whole table through the trigram functions instead of the three GIN indexes.
        migrations.RunSQL("ANALYZE training_exercise;", migrations.RunSQL.noop),
    ]
