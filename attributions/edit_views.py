"""Editor pages and htmx actions. Every write: POST + CSRF + editor check, then one action.

Actions answer htmx requests with the fragments that changed: the side panel, and
out-of-band the statement's highlight and the legend (article page) or the next
item of the review queue (review page).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from articles.models import Statement
from articles.views import legend_for, match_legend
from attributions import actions
from attributions.models import Attribution, CrossReference, Source
from attributions.permissions import editor_required
from attributions.review import FORM_PREFIX, ReviewFilters, review_context

AUTOCOMPLETE_LIMIT = 8
LINK_RESULTS = 8


def _statement(pk: int) -> Statement:
    return get_object_or_404(
        Statement.objects.select_related("article").with_attributions(all_statuses=True), pk=pk
    )


def _revision(request: HttpRequest) -> int:
    """The statement revision the editor's form was rendered from; required, so that no
    write can skip the check that nobody else changed the statement in the meantime."""
    raw = request.POST.get("revision", "")
    if not raw.isdigit():
        raise actions.ActionError("This form is out of date: reload the page and try again.")
    return int(raw)


def _source(request: HttpRequest, field: str) -> Source:
    raw = request.POST.get(field, "")
    if not raw.isdigit():
        raise actions.ActionError("Choose a source from the list.")
    source = Source.objects.filter(pk=int(raw)).first()
    if source is None:
        raise actions.ActionError("That source no longer exists.")
    return source


def first_suggestion(attributions) -> int | None:
    """The suggested claimed source the a/r keys act on."""
    return next(
        (a.pk for a in attributions if a.is_suggested and a.role == Attribution.Role.SOURCE),
        None,
    )


def panel_context(
    statement: Statement, *, origin: str = "article", message: str = "", level: str = "info"
) -> dict:
    return {
        "statement": statement,
        "attributions": statement.all_attributions,
        "key_attribution": first_suggestion(statement.all_attributions),
        "origin": origin,
        "message": message,
        "level": level,
        "kinds": Source.Kind.choices,
    }


def _colours(article_id: int) -> tuple[list[Statement], dict]:
    """The article's statements as the article page shows them, and its legend."""
    statements = list(Statement.objects.filter(article_id=article_id).with_attributions())
    return statements, legend_for(statements)


def _respond(
    request: HttpRequest,
    pk: int,
    *,
    message: str = "",
    level: str = "success",
    status: int = 200,
    colours_before: dict | None = None,
) -> HttpResponse:
    """The fragments that changed after an action on statement ``pk``."""
    origin = request.POST.get("origin") or request.GET.get("origin") or "article"
    statement = _statement(pk)
    if origin == "review" and request.htmx:
        filters = ReviewFilters.from_query(request.POST, prefix=FORM_PREFIX)
        item = request.POST.get("item", "")
        # Resume just before the item: a decided item has left the queue, so this shows the
        # next one; after a note, an alias or a via the same item stays up.
        after = int(item) - 1 if item.isdigit() else None
        context = review_context(filters, after=after, message=message, level=level)
        html = render_to_string("attributions/review.html#item", context, request)
        response = HttpResponse(html, status=status)
    elif request.htmx:
        article_statements, legend = _colours(statement.article_id)
        colours = legend["colours"]
        match_legend(statement.all_attributions, colours)  # the panel's swatches
        context = panel_context(statement, origin=origin, message=message, level=level)
        parts = [render_to_string("attributions/review.html#panel", context, request)]
        if status in (200, 409):  # changed by this editor, or by another one (the current state)
            before = colours_before or {}
            for shown in article_statements:
                claimed = shown.claimed
                recoloured = claimed and before.get(claimed.source_id) != colours.get(claimed.source_id)
                if shown.pk == pk or recoloured:
                    parts.append(
                        render_to_string(
                            "articles/detail.html#statement-span",
                            {"statement": shown, "oob": True, "is_editor": True, "selected": pk},
                            request,
                        )
                    )
            parts.append(render_to_string("articles/detail.html#legend", {"oob": True, **legend}, request))
        response = HttpResponse("".join(parts), status=status)
    else:
        # Without JavaScript the forms still work: back to the statement page.
        return redirect(statement.get_absolute_url())
    if status < 400:
        trigger_client_event(response, "statementChanged", {"id": statement.pk})
    return response


def _run(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    colours_before = None
    if request.htmx and (request.POST.get("origin") or "article") == "article":
        article_id = Statement.objects.filter(pk=pk).values_list("article_id", flat=True).first()
        if article_id is not None:
            colours_before = _colours(article_id)[1]["colours"]
    try:
        action()
    except actions.Conflict as exc:
        return _respond(
            request, pk, message=str(exc), level="conflict", status=409, colours_before=colours_before
        )
    except actions.ActionError as exc:
        return _respond(request, pk, message=str(exc), level="error", status=422)
    return _respond(request, pk, message=done, colours_before=colours_before)


@require_GET
@editor_required
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement(pk)
    origin = request.GET.get("origin", "article")
    if origin == "article":
        match_legend(statement.all_attributions, _colours(statement.article_id)[1]["colours"])
    return TemplateResponse(
        request, "attributions/review.html#panel", panel_context(statement, origin=origin)
    )


@editor_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    attribution = get_object_or_404(Attribution.objects.select_related("statement", "source"), pk=pk)
    return _run(
        request,
        attribution.statement_id,
        lambda: actions.confirm(attribution=attribution, by=request.user, revision=_revision(request)),
        f"Confirmed: {attribution.source.name}.",
    )


@editor_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    attribution = get_object_or_404(Attribution.objects.select_related("statement", "source"), pk=pk)
    return _run(
        request,
        attribution.statement_id,
        lambda: actions.reject(attribution=attribution, by=request.user, revision=_revision(request)),
        f"Rejected: {attribution.source.name}.",
    )


@editor_required
@require_POST
def set_source(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk)

    def act():
        source = _source(request, "source")
        actions.set_source(
            statement=statement,
            source=source,
            by=request.user,
            revision=_revision(request),
            mention=request.POST.get("mention", ""),
        )

    return _run(request, pk, act, "Source changed.")


@editor_required
@require_POST
def set_via(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk)

    def act():
        source = None if request.POST.get("clear") else _source(request, "via")
        actions.set_via(statement=statement, source=source, by=request.user, revision=_revision(request))

    done = "Via cleared." if request.POST.get("clear") else "Via set."
    return _run(request, pk, act, done)


@editor_required
@require_POST
def own_claim(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk)
    return _run(
        request,
        pk,
        lambda: actions.mark_own_claim(statement=statement, by=request.user, revision=_revision(request)),
        "Marked as the article's own claim.",
    )


@editor_required
@require_POST
def create_source(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk)
    name = " ".join(request.POST.get("name", "").split())

    def act():
        revision = _revision(request)
        with transaction.atomic():  # no new source left behind when setting it fails
            source = actions.create_source(
                name=name,
                kind=request.POST.get("kind", ""),
                country=request.POST.get("country", ""),
                by=request.user,
            )
            actions.set_source(statement=statement, source=source, by=request.user, revision=revision)

    return _run(request, pk, act, f"New source “{name}” created and set.")


@editor_required
@require_POST
def add_alias(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Statement, pk=pk)
    text = request.POST.get("text", "")

    def act():
        source = _source(request, "source")
        actions.add_alias(source=source, text=text, by=request.user)

    return _run(request, pk, act, f"Saved “{' '.join(text.split())}” as a name of this source.")


@editor_required
@require_POST
def set_note(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk)
    return _run(
        request,
        pk,
        lambda: actions.set_note(
            statement=statement,
            note=request.POST.get("note", ""),
            by=request.user,
            revision=_revision(request),
        ),
        "Note saved.",
    )


@require_GET
@editor_required
def autocomplete(request: HttpRequest) -> HttpResponse:
    """Sources whose name or an alias contains the typed words (debounced by htmx)."""
    query = " ".join(request.GET.get("q", "").split())[:100]
    field = request.GET.get("field", "source")
    if field not in {"source", "via"}:
        return HttpResponseBadRequest("Unknown field.")
    sources = []
    if query:
        condition = Q(name__icontains=query) | Q(aliases__text__icontains=query)
        sources = list(
            Source.objects.filter(condition).distinct().order_by("proposed", "name")[:AUTOCOMPLETE_LIMIT]
        )
    return TemplateResponse(
        request,
        "attributions/review.html#options",
        {"sources": sources, "query": query, "field": field},
    )


@require_GET
@editor_required
def link_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Statements to link: full-text matches for the query, else similar wording elsewhere."""
    statement = get_object_or_404(Statement.objects.select_related("article"), pk=pk)
    query = " ".join(request.GET.get("q", "").split())[:200]
    candidates = Statement.objects.search(query) if query else Statement.objects.similar_to(statement)
    candidates = (
        candidates.exclude(pk=statement.pk).select_related("article").with_attributions()[:LINK_RESULTS]
    )
    return TemplateResponse(
        request,
        "articles/statement.html#link-results",
        {
            "statement": statement,
            "candidates": candidates,
            "query": query,
            "relations": CrossReference.Relation.choices,
        },
    )


def _references_response(
    request: HttpRequest, statement: Statement, message: str = "", level: str = "success", status: int = 200
) -> HttpResponse:
    from articles.views import references_for

    html = render_to_string(
        "articles/statement.html#references",
        {
            "statement": statement,
            "references": references_for(statement),
            "message": message,
            "level": level,
            "is_editor": True,
        },
        request,
    )
    return HttpResponse(html, status=status)


@editor_required
@require_POST
def link(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk)
    target_raw = request.POST.get("to", "")
    target = Statement.objects.filter(pk=int(target_raw)).first() if target_raw.isdigit() else None
    try:
        if target is None:
            raise actions.ActionError("Choose a statement to link to.")
        actions.link(
            from_statement=statement,
            to_statement=target,
            relation=request.POST.get("relation", ""),
            note=request.POST.get("note", ""),
            by=request.user,
        )
    except actions.ActionError as exc:
        if not request.htmx:
            return redirect(statement.get_absolute_url())
        return _references_response(request, statement, str(exc), "error", 422)
    if not request.htmx:
        return redirect(statement.get_absolute_url())
    return _references_response(request, statement, "Linked.")


@editor_required
@require_POST
def unlink(request: HttpRequest, pk: int) -> HttpResponse:
    reference = get_object_or_404(CrossReference, pk=pk)
    here = request.POST.get("statement", "")
    statement_pk = int(here) if here.isdigit() else reference.from_statement_id
    if statement_pk not in {reference.from_statement_id, reference.to_statement_id}:
        statement_pk = reference.from_statement_id
    actions.unlink(reference=reference, by=request.user)
    statement = get_object_or_404(Statement, pk=statement_pk)
    if not request.htmx:
        return redirect(statement.get_absolute_url())
    return _references_response(request, statement, "Link removed.")


@require_GET
@editor_required
def review(request: HttpRequest) -> HttpResponse:
    filters = ReviewFilters.from_query(request.GET)
    after = request.GET.get("after", "")
    before = request.GET.get("before", "")
    context = review_context(
        filters,
        after=int(after) if after.isdigit() else None,
        before=int(before) if before.isdigit() else None,
    )
    template = (
        "attributions/review.html#item"
        if request.htmx and not request.htmx.boosted
        else "attributions/review.html"
    )
    return TemplateResponse(request, template, context)
