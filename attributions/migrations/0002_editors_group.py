from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="Editors")


class Migration(migrations.Migration):
    """Editors review and correct attributions; membership of this group is the right to do so."""

    dependencies = [
        ("attributions", "0001_sources_attributions_crossrefs"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
