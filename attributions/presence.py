"""Which editors are working on an article now: shown to the others, so two editors do not
review the same statements at once without knowing it."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from attributions.models import ArticlePresence

#: An editor counts as on an article this long after their last activity there.
PRESENCE = timedelta(minutes=5)


def touch(article_id: int, user) -> None:
    """The editor is on the article now (opened it, edited it, or is active on its page)."""
    try:
        with transaction.atomic():
            ArticlePresence.objects.update_or_create(
                article_id=article_id, user=user, defaults={"seen_at": timezone.now()}
            )
    except IntegrityError:  # the same editor's other tab got there first: they are present
        pass


def others_on(article_id: int, user) -> list[str]:
    """The other editors active on the article lately, by full name (else username)."""
    recent = ArticlePresence.objects.filter(article_id=article_id, seen_at__gte=timezone.now() - PRESENCE)
    others = recent.exclude(user=user).select_related("user").order_by("-seen_at")
    return [presence.user.get_full_name() or presence.user.get_username() for presence in others]


def busy_articles(user):
    """The ids of articles other editors are active on lately (for the review queue to skip)."""
    recent = ArticlePresence.objects.filter(seen_at__gte=timezone.now() - PRESENCE).exclude(user=user)
    return recent.values("article_id")
