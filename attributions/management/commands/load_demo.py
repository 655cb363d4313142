import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from articles.importing import iter_paths, run_import
from articles.models import ImportBatch
from attributions.permissions import EDITORS_GROUP
from attributions.registry import load_sources

SAMPLE = Path(settings.BASE_DIR) / "articles" / "fixtures" / "raqqa-coalition.txt"


class Command(BaseCommand):
    help = (
        "Load the demo: the source registry, the sample article, a demo editor and a demo "
        "admin with fresh passwords (printed). Development only: refuses to run when DEBUG is off."
    )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "load_demo only runs with DEBUG on (DJANGO_DEBUG=1): it creates users with "
                "printed passwords, which must never happen on a production database."
            )
        report = load_sources()
        self.stdout.write(f"Source registry: {report.created} created, {report.updated} updated.")
        batch = run_import(iter_paths([SAMPLE]), origin=ImportBatch.Origin.COMMAND)
        state = "imported" if batch.imported_count else "already there"
        self.stdout.write(f"Sample article: {state}.")
        editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
        User = get_user_model()
        for username, is_admin in (("editor", False), ("admin", True)):
            password = secrets.token_urlsafe(12)
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = is_admin
            user.is_superuser = is_admin
            user.set_password(password)
            user.save()
            user.groups.add(editors)
            role = "admin" if is_admin else "editor"
            self.stdout.write(
                self.style.SUCCESS(f"Demo {role}: username {username!r}, password {password!r}")
            )
