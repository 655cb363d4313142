"""Who may write: editors (members of the "Editors" group) and superusers.

Views decide; templates only use ``is_editor`` to choose what to show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from attributions.models import EditorAction

EDITORS_GROUP = "Editors"


def is_editor(user) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_is_editor"):
        user._is_editor = user.is_superuser or user.groups.filter(name=EDITORS_GROUP).exists()
    return user._is_editor


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous users are sent to log in; logged-in users who are not editors get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            if getattr(request, "htmx", False):
                target = request.htmx.current_url_abs_path or request.get_full_path()
                return HttpResponseClientRedirect(redirect_to_login(target, settings.LOGIN_URL)["Location"])
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not is_editor(request.user):
            raise PermissionDenied("Only editors may change attributions.")
        return view(request, *args, **kwargs)

    return wrapper


#: How long after a write without JavaScript the next page offers to undo it.
UNDO_OFFER = timedelta(minutes=10)


def editor_context(request: HttpRequest) -> dict:
    """Template context processor: whether to show editing controls, and the write the editor
    may undo (offered once, on the page a write without JavaScript led to)."""
    editor = is_editor(request.user)
    context = {"is_editor": editor}
    undo_id = request.session.pop("undo", None) if editor and hasattr(request, "session") else None
    if undo_id:
        entry = EditorAction.objects.filter(
            pk=undo_id, user=request.user, created_at__gte=timezone.now() - UNDO_OFFER
        ).first()
        if entry is not None and entry.can_be_undone:
            context["undo_entry"] = entry
    return context
