# Statements are ordered by their start; editors' spans are marked; a statement whose words
# go into another leaves a tombstone. The constraints come after the repair (0010, 0011).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0008_remove_statement_is_own_claim'),
    ]

    operations = [
        migrations.CreateModel(
            name='StatementTombstone',
            fields=[
                ('id', models.BigIntegerField(help_text='The id the statement had.', primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
        migrations.AlterModelOptions(
            name='statement',
            options={'ordering': ['article', 'start']},
        ),
        migrations.RemoveConstraint(
            model_name='statement',
            name='statement_unique_ordinal',
        ),
        migrations.RemoveField(
            model_name='historicalstatement',
            name='ordinal',
        ),
        migrations.RemoveField(
            model_name='statement',
            name='ordinal',
        ),
        migrations.AddField(
            model_name='article',
            name='spans_revision',
            field=models.PositiveIntegerField(default=0, help_text="Bumped by every change to the article's statement spans; stale span edits are refused."),
        ),
        migrations.AddField(
            model_name='historicalstatement',
            name='span_origin',
            field=models.CharField(choices=[('engine', 'The engine'), ('editor', 'An editor')], default='engine', help_text="Who drew the span: the engine may redraw its own, never an editor's.", max_length=8),
        ),
        migrations.AddField(
            model_name='statement',
            name='span_origin',
            field=models.CharField(choices=[('engine', 'The engine'), ('editor', 'An editor')], default='engine', help_text="Who drew the span: the engine may redraw its own, never an editor's.", max_length=8),
        ),
        migrations.AddField(
            model_name='statementtombstone',
            name='article',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.article'),
        ),
        migrations.AddField(
            model_name='statementtombstone',
            name='statement',
            field=models.ForeignKey(help_text='The statement that holds its words now.', on_delete=django.db.models.deletion.CASCADE, related_name='tombstones', to='articles.statement'),
        ),
    ]
