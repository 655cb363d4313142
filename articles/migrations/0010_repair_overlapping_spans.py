# Rows are repaired in their own migration: on PostgreSQL, updated rows with deferred
# foreign-key checks pending would block the ALTER TABLE that adds the constraints (0011).

from django.db import migrations


def repair_spans(apps, schema_editor):
    """Make existing statements meet the span guarantees before they are enforced.

    A statement's text is set to the slice of the body its offsets name. Where a statement
    begins inside the one before it (the first wins), it keeps only its words after that one;
    a statement left with no words is removed, and its id leads to the one that holds them.
    """
    Article = apps.get_model("articles", "Article")
    Statement = apps.get_model("articles", "Statement")
    Tombstone = apps.get_model("articles", "StatementTombstone")
    for article in Article.objects.only("pk", "body").iterator():
        body = article.body
        previous = None
        for statement in Statement.objects.filter(article_id=article.pk).order_by("start", "end", "pk"):
            start, end = statement.start, min(statement.end, len(body))
            if previous is not None and start < previous.end:
                start = previous.end
            while start < end and body[start].isspace():
                start += 1
            while end > start and body[end - 1].isspace():
                end -= 1
            if start >= end or not any(ch.isalnum() for ch in body[start:end]):
                if previous is not None:
                    Tombstone.objects.create(id=statement.pk, article_id=article.pk, statement_id=previous.pk)
                    statement.delete()
                    continue
                end = max(end, start + 1)
            if (start, end, body[start:end]) != (statement.start, statement.end, statement.text):
                Statement.objects.filter(pk=statement.pk).update(start=start, end=end, text=body[start:end])
                statement.start, statement.end = start, end
            previous = statement


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_statement_span_origin_and_tombstones"),
        ("attributions", "0004_whole_spans_one_confirmed"),
    ]

    operations = [migrations.RunPython(repair_spans, migrations.RunPython.noop)]
