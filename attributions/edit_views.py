"""Editor pages and htmx actions. Every write: POST + CSRF + editor check, a form, one action.

A write's URL names the statement and the revision the editor's panel was drawn from, so a
key pressed on one statement can never change another, and a stale panel gets 409.

Actions answer htmx requests with the fragments that changed: the side panel, and
out-of-band the statement's highlight and the legend (article page), or the next item of
the review queue (review page). Without JavaScript a write redirects back with a message;
a failed one shows the page again with the message and what the editor typed.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh, trigger_client_event

from articles.models import Article, Statement, StatementTombstone
from articles.spans import SpanError, paragraph_of, snap
from articles.text import paragraph_spans
from attributions import actions, journal, presence
from attributions.forms import (
    AliasForm,
    AutocompleteForm,
    BulkConfirmForm,
    BulkPreviewForm,
    LinkForm,
    LinkSearchForm,
    MarkForm,
    MergeForm,
    NewSourceForm,
    NoteForm,
    OriginForm,
    PlaceForm,
    ResizeForm,
    RevertForm,
    ReviewFilterForm,
    SelectionForm,
    SetSourceForm,
    SetViaForm,
    SplitForm,
    TagForm,
    TextForm,
    UnlinkForm,
    WithdrawForm,
    first_error,
)
from attributions.models import (
    Attribution,
    CrossReference,
    EditorAction,
    Source,
    SourceAlias,
    with_attributions,
)
from attributions.permissions import editor_required
from attributions.presentation import article_legend, article_patterns, paint, panel_context, references_for
from attributions.review import FORM_PREFIX, ReviewFilters, review_context
from attributions.suggesting import Suggester
from attributions.views import paragraph_at, statement_page

ACTIVITY_LIMIT = 100
AUTOCOMPLETE_LIMIT = 8
LINK_RESULTS = 8
KEPT_CHARS = 5000


def _statement(pk: int) -> Statement:
    return get_object_or_404(
        with_attributions(Statement.objects.select_related("article"), all_statuses=True), pk=pk
    )


def _kept(request: HttpRequest, form_name: str, *fields: str) -> dict:
    """What the editor typed into ``form_name``, to show again when it could not be saved."""
    kept = {"form": form_name}
    for name in fields:
        kept[name] = request.POST.get(name, "").replace("\x00", "")[:KEPT_CHARS]
    return kept


def _broken_origin(request: HttpRequest) -> str:
    """The message for a write whose page fields (the origin, the queue's filters) are bad."""
    for form in (OriginForm(request.POST), ReviewFilterForm(request.POST, prefix=FORM_PREFIX)):
        if not form.is_valid():
            return first_error(form)
    return ""


def _queue(request: HttpRequest) -> tuple[ReviewFilters, int | None]:
    """The review queue's filters and current item, carried by an editor's form."""
    filters = ReviewFilters.from_form(ReviewFilterForm(request.POST, prefix=FORM_PREFIX))
    origin = OriginForm(request.POST)
    item = origin.cleaned_data.get("item") if origin.is_valid() else None
    return filters, item


def _review_answer(
    request: HttpRequest, *, message: str, level: str, status: int, kept: dict | None, undo=None
):
    filters, item = _queue(request)
    # Resume just before the item: a decided item has left the queue, so this shows the next
    # one; after a note, an alias or a failed write the same item stays up.
    after = item - 1 if item else None
    context = review_context(filters, after=after, message=message, level=level, kept=kept, user=request.user)
    context["undo"] = undo
    if request.htmx:
        return TemplateResponse(request, "attributions/review.html#item", context, status=status)
    if status >= 400:
        messages.error(request, message)
        return TemplateResponse(request, "attributions/review.html", context, status=status)
    messages.success(request, message)
    offer_undo(request, undo)
    return redirect(reverse("editing:review") + "?" + filters.as_query(after=after if after else ""))


def _article_answer(
    request: HttpRequest,
    pk: int,
    *,
    message: str,
    level: str,
    status: int,
    kept,
    spans: bool = False,
    undo: EditorAction | None = None,
) -> HttpResponse:
    """The panel, and out of band the statement's highlight (its paragraph, after a change of
    spans) and the legend."""
    statement = _statement(pk)
    patterns = article_patterns(statement.article_id)
    paint(statement.all_attributions, patterns)  # the panel's swatches
    context = panel_context(statement, origin="article", message=message, level=level, kept=kept)
    context["undo"] = undo
    parts = [render_to_string("attributions/panel.html#panel", context, request)]
    if spans and status in (200, 409) and statement.is_anchored:
        parts += _text_parts(request, statement.article, statement.start, statement.pk)
    elif status in (200, 409):  # changed by this editor, or by another one (the current state)
        paint(statement.shown, patterns)
        parts.append(
            render_to_string(
                "articles/detail.html#statement-span",
                {"statement": statement, "oob": True, "is_editor": True, "selected": pk},
                request,
            )
        )
        legend = article_legend(statement.article_id, patterns)
        parts.append(render_to_string("articles/detail.html#legend", {"oob": True, **legend}, request))
        count = {"oob": True, "article": statement.article, **legend}
        parts.append(render_to_string("articles/detail.html#count", count, request))
    return HttpResponse("".join(parts), status=status)


def _answer(
    request: HttpRequest,
    pk: int,
    *,
    message: str,
    level: str = "success",
    status: int = 200,
    kept: dict | None = None,
    spans: bool = False,
    undo: EditorAction | None = None,
) -> HttpResponse:
    """The page (or fragments) to show after a write on statement ``pk``; ``undo`` is the
    journal's entry of the write, offered to be undone."""
    origin = OriginForm(request.POST).cleaned_origin()
    if origin == "review":
        response = _review_answer(request, message=message, level=level, status=status, kept=kept, undo=undo)
    elif request.htmx and origin == "article":
        response = _article_answer(
            request, pk, message=message, level=level, status=status, kept=kept, spans=spans, undo=undo
        )
    elif status >= 400:
        # Without JavaScript: the statement page again, with the message and the typed input.
        messages.error(request, message)
        response = statement_page(request, pk, kept=kept)
        response.status_code = status
    else:
        messages.success(request, message)
        offer_undo(request, undo)
        return redirect(reverse("articles:statement", args=[pk]))
    if status < 400 and request.htmx:
        trigger_client_event(response, "statementChanged", {"id": pk})
    return response


def offer_undo(request: HttpRequest, entry: EditorAction | None) -> None:
    """After a write without JavaScript, the next page offers to undo it (once)."""
    if entry is not None:
        request.session["undo"] = entry.pk


def _journaled(
    request: HttpRequest,
    article: Article,
    act: Callable[[], str],
    *,
    kind: str,
    statement_id: int | None = None,
    statements=(),
    paragraphs=(),
    whole: bool = False,
    with_text: bool = False,
) -> tuple[str, EditorAction]:
    """Run ``act`` (an action; it returns the message) with the journal around it, in one
    transaction: the rows it may touch as they were, and the revisions it left them at."""
    with transaction.atomic(), journal.ledger() as made:
        ids = journal.scope(article, statements=statements, paragraphs=paragraphs, whole=whole)
        before = journal.snapshot(article, ids, paragraphs=paragraphs, with_text=with_text)
        message = act()
        entry = journal.record(
            by=request.user,
            kind=kind,
            message=message,
            article=article,
            statement_id=statement_id,
            before=before,
            whole=whole,
            made=made,
        )
    presence.touch(article.pk, request.user)
    return message, entry


def _write(
    request: HttpRequest,
    pk: int,
    act: Callable[[dict], str],
    *,
    form: forms.Form | None = None,
    kept: dict | None = None,
    spans: bool = False,
    paragraphs=(),
) -> HttpResponse:
    """Validate ``form``, run ``act`` (an action; it returns the message) with the journal
    around it, answer. With ``spans``, the journal keeps the statement's paragraph (and
    ``paragraphs``) and the answer redraws them (their words changed)."""
    broken = _broken_origin(request)
    if broken:
        return _answer(request, pk, message=broken, level="error", status=400, kept=kept)
    if form is not None and not form.is_valid():
        return _answer(request, pk, message=first_error(form), level="error", status=422, kept=kept)
    data = form.cleaned_data if form is not None else {}
    statement = Statement.objects.select_related("article").get(pk=pk)
    try:
        done, entry = _journaled(
            request,
            statement.article,
            lambda: act(data),
            kind=request.resolver_match.url_name,
            statement_id=pk,
            statements=[pk],
            paragraphs=[statement.paragraph, *paragraphs] if spans else [],
        )
    except actions.ActionError as exc:
        level = "conflict" if exc.status == 409 else "error"
        return _answer(request, pk, message=str(exc), level=level, status=exc.status, kept=kept, spans=spans)
    return _answer(request, pk, message=done, spans=spans, undo=entry)


@require_GET
@editor_required
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement(pk)
    paint(statement.all_attributions, article_patterns(statement.article_id))
    return TemplateResponse(request, "attributions/panel.html#panel", panel_context(statement))


@editor_required
@require_POST
def confirm(request: HttpRequest, pk: int, revision: int, attribution: int) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk)

    def act(data: dict) -> str:
        done = actions.confirm(
            statement=statement, attribution_id=attribution, by=request.user, revision=revision
        )
        role = " as via" if done.role == done.Role.VIA else ""
        return f"Confirmed: {done.source.name}{role}."

    return _write(request, pk, act)


@editor_required
@require_POST
def reject(request: HttpRequest, pk: int, revision: int, attribution: int) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk)

    def act(data: dict) -> str:
        done = actions.reject(
            statement=statement, attribution_id=attribution, by=request.user, revision=revision
        )
        role = " as via" if done.role == done.Role.VIA else ""
        return f"Rejected: {done.source.name}{role}."

    return _write(request, pk, act)


@editor_required
@require_POST
def set_source(request: HttpRequest, pk: int, revision: int) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk)

    def act(data: dict) -> str:
        actions.set_source(
            statement=statement,
            source=data["source"],
            by=request.user,
            revision=revision,
            mention=data["mention"],
        )
        return f"Source changed to {data['source'].name}."

    return _write(
        request, pk, act, form=SetSourceForm(request.POST), kept=_kept(request, "source", "source", "q")
    )


@editor_required
@require_POST
def set_via(request: HttpRequest, pk: int, revision: int) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk)

    def act(data: dict) -> str:
        source = None if data["clear"] else data["via"]
        actions.set_via(statement=statement, source=source, by=request.user, revision=revision)
        return "Via cleared." if source is None else f"Via set to {source.name}."

    return _write(request, pk, act, form=SetViaForm(request.POST), kept=_kept(request, "via", "via", "q"))


@editor_required
@require_POST
def own_claim(request: HttpRequest, pk: int, revision: int) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk)

    def act(data: dict) -> str:
        actions.mark_own_claim(statement=statement, by=request.user, revision=revision)
        return "Marked as the article's own claim."

    return _write(request, pk, act)


@editor_required
@require_POST
def needs_source(request: HttpRequest, pk: int, revision: int) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk)

    def act(data: dict) -> str:
        actions.mark_needs_source(statement=statement, by=request.user, revision=revision)
        return "Marked as needing a source."

    return _write(request, pk, act)


@editor_required
@require_POST
def create_source(request: HttpRequest, pk: int, revision: int) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk)

    def act(data: dict) -> str:
        source = actions.create_and_set_source(
            statement=statement,
            name=data["name"],
            kind=data["kind"],
            country=data["country"],
            by=request.user,
            revision=revision,
        )
        return f"New source “{source.name}” created and set."

    return _write(
        request,
        pk,
        act,
        form=NewSourceForm(request.POST),
        kept=_kept(request, "new_source", "name", "kind", "country"),
    )


@editor_required
@require_POST
def add_alias(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Statement, pk=pk)

    def act(data: dict) -> str:
        alias = actions.add_alias(source=data["source"], text=data["text"], by=request.user)
        return f"Saved “{alias.text}” as a name of {alias.source.name}."

    return _write(request, pk, act, form=AliasForm(request.POST), kept=_kept(request, "alias", "text"))


@editor_required
@require_POST
def set_note(request: HttpRequest, pk: int, revision: int) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk)

    def act(data: dict) -> str:
        actions.set_note(statement=statement, note=data["note"], by=request.user, revision=revision)
        return "Note saved."

    return _write(request, pk, act, form=NoteForm(request.POST), kept=_kept(request, "note", "note"))


def _text_parts(request: HttpRequest, article: Article, offset: int, selected: int | None) -> list[str]:
    """Out of band: the paragraph (or headline) holding ``offset`` as it is now, the legend and
    the statement count, after a change of spans."""
    context = {"oob": True, "is_editor": True, "selected": selected, **paragraph_at(article, offset)}
    partial = "headline" if "headline" in context else "paragraph"
    parts = (
        [render_to_string(f"articles/detail.html#{partial}", context, request)]
        if context.get(partial)
        else []
    )
    legend = article_legend(article.pk)
    parts.append(render_to_string("articles/detail.html#legend", {"oob": True, **legend}, request))
    unplaced = list(with_attributions(article.statements.filter(start__isnull=True)))
    parts.append(
        render_to_string("articles/detail.html#unplaced", {"oob": True, "unplaced": unplaced}, request)
    )
    parts.append(
        render_to_string("articles/detail.html#count", {"oob": True, "article": article, **legend}, request)
    )
    return parts


def _selection_context(article: Article, start: int, end: int, **extra) -> dict:
    touched = with_attributions(
        Statement.objects.filter(article=article, start__lt=end, end__gt=start).order_by("start")
    )
    paint([a for s in touched for a in s.shown], article_patterns(article.pk))
    return {
        "article": article,
        "start": start,
        "end": end,
        "text": article.body[start:end],
        "touched": touched,
        "unplaced": article.statements.filter(start__isnull=True).order_by("pk"),
        "origin": "article",
        **extra,
    }


@require_GET
@editor_required
def selection(request: HttpRequest, pk: int) -> HttpResponse:
    """The panel for words an editor selected: what the new statement will be, and the picker
    that tags it."""
    article = get_object_or_404(Article, pk=pk)
    form = SelectionForm(request.GET)
    template = "attributions/panel.html#selection"
    if not form.is_valid():
        return TemplateResponse(
            request, template, {"article": article, "error": first_error(form)}, status=422
        )
    try:
        start, end = snap(article.body, form.cleaned_data["start"], form.cleaned_data["end"])
        paragraph_of(article.body, start, end)
    except SpanError as exc:
        return TemplateResponse(request, template, {"article": article, "error": str(exc)}, status=422)
    return TemplateResponse(request, template, _selection_context(article, start, end))


@editor_required
@require_POST
def tag(request: HttpRequest, pk: int, revision: int) -> HttpResponse:
    """Tag the selected words as a statement (splitting the statements they overlap)."""
    article = get_object_or_404(Article, pk=pk)
    form = TagForm(request.POST)
    kept = _kept(request, "tag", "q")
    error, status, holder = "", 200, None
    if not form.is_valid():
        error, status = first_error(form), 422
    else:
        data = form.cleaned_data
        tagged: list[Statement] = []

        def act() -> str:
            tagged.append(
                actions.tag(
                    article=article,
                    start=data["start"],
                    end=data["end"],
                    by=request.user,
                    spans_revision=revision,
                    source=data["source"],
                    needs_source=data["needs_source"],
                )
            )
            return _tagged_message(tagged[0])

        try:
            paragraphs = [paragraph_of(article.body, *snap(article.body, data["start"], data["end"]))]
        except SpanError:
            paragraphs = []
        try:
            done, entry = _journaled(request, article, act, kind="tag", paragraphs=paragraphs)
            holder = tagged[0]
            EditorAction.objects.filter(pk=entry.pk).update(statement_id=holder.pk)
        except actions.ActionError as exc:
            error, status = str(exc), exc.status
    if not request.htmx:
        if holder is None:
            messages.error(request, error)
            return redirect(article.get_absolute_url())
        messages.success(request, done)
        offer_undo(request, entry)
        return redirect(holder.get_absolute_url())
    if holder is None:
        article.refresh_from_db(fields=["spans_revision"])
        start = form.cleaned_data.get("start") if form.is_valid() else None
        end = form.cleaned_data.get("end") if form.is_valid() else None
        if start is None or end is None:
            html = render_to_string(
                "attributions/panel.html#selection", {"article": article, "error": error}, request
            )
            return HttpResponse(html, status=status)
        try:
            start, end = snap(article.body, start, end)
        except SpanError:
            html = render_to_string(
                "attributions/panel.html#selection", {"article": article, "error": error}, request
            )
            return HttpResponse(html, status=status)
        context = _selection_context(
            article, start, end, message=error, level="conflict" if status == 409 else "error", kept=kept
        )
        parts = [render_to_string("attributions/panel.html#selection", context, request)]
        if status == 409:  # the statements as they are now
            parts += _text_parts(request, article, start, None)
        return HttpResponse("".join(parts), status=status)
    statement = _statement(holder.pk)
    paint(statement.all_attributions, article_patterns(article.pk))
    context = panel_context(statement, origin="article", message=done, level="success")
    context["undo"] = entry
    parts = [render_to_string("attributions/panel.html#panel", context, request)]
    parts += _text_parts(request, article, holder.start, holder.pk)
    response = HttpResponse("".join(parts))
    trigger_client_event(response, "statementTagged", {"id": holder.pk})
    return response


def _tagged_message(statement: Statement) -> str:
    claimed = (
        statement.attributions.filter(role=Attribution.Role.SOURCE, status=Attribution.Status.CONFIRMED)
        .select_related("source")
        .first()
    )
    if claimed is None:
        return "Tagged as a statement that needs a source."
    return f"Tagged as a statement of {claimed.source.name}."


@editor_required
@require_POST
def resize(request: HttpRequest, pk: int, revision: int) -> HttpResponse:
    statement = get_object_or_404(Statement.objects.select_related("article"), pk=pk)

    def act(data: dict) -> str:
        actions.resize(
            statement=statement,
            edge=data["edge"],
            step=data["step"],
            by=request.user,
            revision=revision,
            spans_revision=data["spans_revision"],
        )
        grown = "takes in a word" if data["step"] == 1 else "gives back a word"
        return f"The statement {grown} at its {data['edge']}."

    return _write(request, pk, act, form=ResizeForm(request.POST), spans=True)


@editor_required
@require_POST
def split(request: HttpRequest, pk: int, revision: int) -> HttpResponse:
    statement = get_object_or_404(Statement.objects.select_related("article"), pk=pk)

    def act(data: dict) -> str:
        right = actions.split(
            statement=statement,
            at=data["at"],
            by=request.user,
            revision=revision,
            spans_revision=data["spans_revision"],
        )
        return f"Split: the words from “{right.text[:40]}” on are statement {right.number} now."

    return _write(request, pk, act, form=SplitForm(request.POST), spans=True)


@editor_required
@require_POST
def merge(request: HttpRequest, pk: int, revision: int) -> HttpResponse:
    statement = get_object_or_404(Statement.objects.select_related("article"), pk=pk)

    def act(data: dict) -> str:
        keep = Statement.objects.filter(pk=data["keep"]).first() if data["keep"] else None
        actions.merge(
            statement=statement,
            following=data["following"],
            by=request.user,
            revision=revision,
            following_revision=data["following_revision"],
            spans_revision=data["spans_revision"],
            keep=keep,
        )
        return "Merged with the next statement."

    return _write(request, pk, act, form=MergeForm(request.POST), spans=True)


@editor_required
@require_POST
def mark(request: HttpRequest, pk: int, revision: int) -> HttpResponse:
    statement = get_object_or_404(Statement.objects.select_related("article"), pk=pk)

    def act(data: dict) -> str:
        done = actions.mark_words(
            statement=statement,
            kind=data["kind"],
            start=data["start"],
            end=data["end"],
            by=request.user,
            revision=revision,
        )
        words = done.mention if data["kind"] == "mention" else done.cue
        what = "the speaker" if data["kind"] == "mention" else "the cue"
        return f"Marked “{words}” as {what}."

    return _write(request, pk, act, form=MarkForm(request.POST))


@editor_required
@require_POST
def place(request: HttpRequest, pk: int, revision: int) -> HttpResponse:
    """Put a statement (one that needs a new span) on the words an editor selected."""
    statement = get_object_or_404(Statement.objects.select_related("article"), pk=pk)

    def act(data: dict) -> str:
        actions.reanchor(
            statement=statement,
            start=data["start"],
            end=data["end"],
            by=request.user,
            spans_revision=data["spans_revision"],
        )
        return "The statement is on the selected words now."

    form = PlaceForm(request.POST)
    target = []
    if form.is_valid():  # the paragraph the words are in, for the journal
        try:
            target = [
                paragraph_of(
                    statement.article.body,
                    *snap(statement.article.body, form.cleaned_data["start"], form.cleaned_data["end"]),
                )
            ]
        except SpanError:
            target = []
    return _write(request, pk, act, form=form, spans=True, paragraphs=target)


@require_http_methods(["GET", "POST"])
@editor_required
def article_text(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an article's text (a typo fix, an updated version): statements follow their words."""
    article = get_object_or_404(Article, pk=pk)
    if request.method == "POST":
        form = TextForm(request.POST)
        if form.is_valid():

            def act() -> str:
                report = actions.replace_text(
                    article=article,
                    text=form.cleaned_data["text"],
                    by=request.user,
                    spans_revision=form.cleaned_data["spans_revision"],
                    suggester=Suggester(),
                )
                return _corrected_message(report)

            try:
                message, entry = _journaled(request, article, act, kind="text", whole=True, with_text=True)
            except actions.ActionError as exc:
                messages.error(request, str(exc))
                status = exc.status
            else:
                messages.success(request, message)
                offer_undo(request, entry)
                return redirect(article.get_absolute_url())
        else:
            status = 422
            messages.error(request, first_error(form))
        article.refresh_from_db()
    else:
        form, status = TextForm(initial={"text": article.body, "spans_revision": article.spans_revision}), 200
    if status == 409:  # drawn from an older version: the text as it is now, and theirs beside it
        form = TextForm(
            initial={"text": request.POST.get("text", ""), "spans_revision": article.spans_revision}
        )
    return TemplateResponse(
        request, "attributions/article_text.html", {"article": article, "form": form}, status=status
    )


def _corrected_message(report: actions.Reanchored) -> str:
    parts = [f"{report.kept} statement{'s' if report.kept != 1 else ''} kept their words"]
    if report.edited:
        parts.append(f"{report.edited} followed edited words")
    if report.lost:
        lost = len(report.lost)
        parts.append(f"{lost} need{'s' if lost == 1 else ''} a new span (listed below the text)")
    if report.added:
        parts.append(f"the engine found {report.added} new")
    return "Text corrected: " + ", ".join(parts) + "."


@editor_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
    else:
        try:
            actions.withdraw(article=article, note=form.cleaned_data["note"], by=request.user)
        except actions.ActionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Withdrawn: readers see the note instead of the article.")
    return redirect(article.get_absolute_url())


@editor_required
@require_POST
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    try:
        actions.restore(article=article, by=request.user)
    except actions.ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Restored: readers see the article again.")
    return redirect(article.get_absolute_url())


@editor_required
@require_POST
def remove_alias(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a name a source was given in error; back to the source's page with a message."""
    alias = SourceAlias.objects.select_related("source").filter(pk=pk).first()
    source_url = alias.source.get_absolute_url() if alias else reverse("attributions:list")
    try:
        removed = actions.remove_alias(alias_id=pk, by=request.user)
    except actions.ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{removed.text}” no longer names {removed.source.name}.")
    return redirect(source_url)


def _paragraph_parts(request: HttpRequest, article: Article, indexes, selected: int | None) -> list[str]:
    """Out of band: the paragraphs numbered ``indexes`` as they are now, and the legend."""
    spans = paragraph_spans(article.body)
    parts = []
    for index in sorted(set(indexes)):
        if index < len(spans):
            parts += _text_parts(request, article, spans[index][0], selected)
    return parts or _text_parts(request, article, 0, selected)


@editor_required
@require_POST
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo one of the editor's own actions (the one its message names)."""
    entry = get_object_or_404(EditorAction.objects.select_related("article"), pk=pk)
    origin = OriginForm(request.POST).cleaned_origin()
    try:
        undone = actions.undo(entry=entry, by=request.user)
    except actions.ActionError as exc:
        message, level, status, undone = (
            str(exc),
            ("conflict" if exc.status == 409 else "error"),
            exc.status,
            None,
        )
    else:
        message, level, status = undone.message, "success", 200
    statement = Statement.objects.filter(pk=entry.statement_id).first() if entry.statement_id else None
    if not request.htmx:
        (messages.success if undone else messages.error)(request, message)
        target = statement.get_absolute_url() if statement else entry.article.get_absolute_url()
        return redirect(target)
    if entry.before.get("text") and undone:
        return HttpResponseClientRefresh()  # the whole text changed back
    if origin == "review":
        return _review_answer(request, message=message, level=level, status=status, kept=None)
    if statement is None:
        html = f'<p class="notice notice--{level}" role="status">{escape(message)}</p>'
        return HttpResponse(
            html + "".join(_paragraph_parts(request, entry.article, entry.before["paragraphs"], None)),
            status=status,
        )
    response = _article_answer(request, statement.pk, message=message, level=level, status=status, kept=None)
    if undone and entry.before["paragraphs"]:
        extra = _paragraph_parts(request, entry.article, entry.before["paragraphs"], statement.pk)
        response.content = response.content + "".join(extra).encode()
    return response


@editor_required
@require_POST
def revert(request: HttpRequest, pk: int, revision: int) -> HttpResponse:
    """Bring a statement back to a version from its history."""
    statement = get_object_or_404(Statement.objects.select_related("article"), pk=pk)
    form = RevertForm(request.POST)
    paragraphs = []
    if form.is_valid():  # the paragraph the version's words are in now, for the journal
        version = Statement.history.filter(id=pk, history_id=form.cleaned_data["version"]).first()
        try:
            span = actions.version_span(statement, version) if version else None
            paragraphs = [paragraph_of(statement.article.body, *span)] if span else []
        except (actions.ActionError, SpanError):
            paragraphs = []  # the action refuses it

    def act(data: dict) -> str:
        actions.revert(
            statement=statement, version_id=data["version"], at=data["at"], by=request.user, revision=revision
        )
        return "Restored the earlier version."

    return _write(request, pk, act, form=form, spans=True, paragraphs=paragraphs)


@require_GET
@editor_required
def activity(request: HttpRequest) -> HttpResponse:
    """The editor's own recent actions, newest first, with links and what was undone."""
    entries = list(
        EditorAction.objects.filter(user=request.user).select_related("article", "undone_by")[:ACTIVITY_LIMIT]
    )
    # Link each to the statement that holds its words now: an undo may have removed the
    # statement (a tag undone), or another statement may hold its words (a merge).
    named = {entry.statement_id for entry in entries if entry.statement_id}
    existing = set(Statement.objects.filter(pk__in=named).values_list("pk", flat=True))
    holders = dict(
        StatementTombstone.objects.filter(pk__in=named - existing).values_list("pk", "statement_id")
    )
    for entry in entries:
        holder = entry.statement_id if entry.statement_id in existing else holders.get(entry.statement_id)
        entry.statement_url = reverse("articles:statement", args=[holder]) if holder else ""
    return TemplateResponse(request, "attributions/activity.html", {"entries": entries})


def bulk_candidates(article: Article, data: dict) -> list[Attribution]:
    """The suggestions a bulk confirmation would take: one per statement (its best), of the
    chosen confidence or source."""
    rows = (
        Attribution.objects.filter(
            statement__article=article,
            statement__start__isnull=False,
            role=Attribution.Role.SOURCE,
            status=Attribution.Status.SUGGESTED,
        )
        .select_related("statement", "source")
        .order_by("statement__start", "-confidence", "pk")
    )
    if data.get("min_confidence") is not None:
        rows = rows.filter(confidence__gte=data["min_confidence"])
    if data.get("source"):
        rows = rows.filter(source__slug=data["source"])
    chosen, seen = [], set()
    for attribution in rows:
        if attribution.statement_id not in seen:
            seen.add(attribution.statement_id)
            chosen.append(attribution)
    return chosen


@require_http_methods(["GET", "POST"])
@editor_required
def bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm many suggestions of one article at once, after a preview that shows them."""
    article = get_object_or_404(Article, pk=pk)
    if request.method == "POST":
        form = BulkConfirmForm(request.POST)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "attributions/bulk.html",
                {"article": article, "form": BulkPreviewForm(), "candidates": [], "error": first_error(form)},
                status=422,
            )
        pairs = form.cleaned_data["pairs"]
        counts: list[tuple[int, int]] = []

        def act() -> str:
            counts.append(actions.bulk_confirm(article=article, pairs=pairs, by=request.user))
            confirmed, skipped = counts[0]
            message = f"Confirmed {confirmed} suggestion{'s' if confirmed != 1 else ''}"
            if skipped:
                message += (
                    f"; {skipped} changed since the preview and {'were' if skipped != 1 else 'was'} skipped"
                )
            return message + "."

        statement_ids = list(
            Attribution.objects.filter(pk__in=[a for a, _ in pairs]).values_list("statement_id", flat=True)
        )
        message, entry = _journaled(request, article, act, kind="bulk", statements=statement_ids)
        messages.success(request, message)
        offer_undo(request, entry)
        return redirect(article.get_absolute_url())
    form = BulkPreviewForm(request.GET or None)
    candidates = bulk_candidates(article, form.cleaned_data) if form.is_valid() else []
    sources = (
        Source.objects.filter(
            attributions__statement__article=article,
            attributions__status=Attribution.Status.SUGGESTED,
            attributions__role=Attribution.Role.SOURCE,
        )
        .distinct()
        .order_by("name")
    )
    error = first_error(form) if form.is_bound and not form.is_valid() else ""
    return TemplateResponse(
        request,
        "attributions/bulk.html",
        {"article": article, "form": form, "candidates": candidates, "sources": sources, "error": error},
        status=400 if error else 200,
    )


@editor_required
@require_POST
def presence_beat(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor is still active on the article: who else is, now."""
    article = get_object_or_404(Article, pk=pk)
    presence.touch(article.pk, request.user)
    context = {"others": presence.others_on(article.pk, request.user), "oob": False}
    return TemplateResponse(request, "articles/detail.html#presence", context)


@require_GET
@editor_required
def autocomplete(request: HttpRequest) -> HttpResponse:
    """Sources whose name or an alias contains the typed words (debounced by htmx)."""
    form = AutocompleteForm(request.GET)
    if not form.is_valid():
        return TemplateResponse(
            request, "attributions/panel.html#options", {"error": first_error(form)}, status=400
        )
    query = " ".join(form.cleaned_data["q"].split())
    field = form.cleaned_data["field"] or "source"
    sources = []
    if query:
        condition = Q(name__icontains=query) | Q(aliases__text__icontains=query)
        sources = list(
            Source.objects.filter(condition).distinct().order_by("proposed", "name")[:AUTOCOMPLETE_LIMIT]
        )
    return TemplateResponse(
        request,
        "attributions/panel.html#options",
        {"sources": sources, "query": query, "field": field},
    )


@require_GET
@editor_required
def link_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Statements to link: full-text matches for the query, else similar wording elsewhere."""
    statement = get_object_or_404(Statement.objects.select_related("article"), pk=pk)
    form = LinkSearchForm(request.GET)
    context = {"statement": statement, "relations": CrossReference.Relation.choices}
    if not form.is_valid():
        return TemplateResponse(
            request,
            "articles/statement.html#link-results",
            {**context, "error": first_error(form), "candidates": []},
            status=400,
        )
    query = " ".join(form.cleaned_data["q"].split())
    candidates = Statement.objects.search(query) if query else Statement.objects.similar_to(statement)
    candidates = with_attributions(candidates.exclude(pk=statement.pk).select_related("article"))[
        :LINK_RESULTS
    ]
    return TemplateResponse(
        request, "articles/statement.html#link-results", {**context, "candidates": candidates, "query": query}
    )


def _references_answer(
    request: HttpRequest, statement: Statement, message: str, level: str = "success", status: int = 200
) -> HttpResponse:
    if not request.htmx:
        if status >= 400:
            messages.error(request, message)
            response = statement_page(request, statement.pk)
            response.status_code = status
            return response
        messages.success(request, message)
        return redirect(statement.get_absolute_url())
    html = render_to_string(
        "articles/statement.html#references",
        {
            "statement": statement,
            "references": references_for(statement, editor=True),
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
    form = LinkForm(request.POST)
    if not form.is_valid():
        return _references_answer(request, statement, first_error(form), "error", 422)
    try:
        actions.link(
            from_statement=statement,
            to_statement=form.cleaned_data["to"],
            relation=form.cleaned_data["relation"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except actions.ActionError as exc:
        return _references_answer(request, statement, str(exc), "error", exc.status)
    return _references_answer(request, statement, "Linked.")


@editor_required
@require_POST
def unlink(request: HttpRequest, pk: int) -> HttpResponse:
    form = UnlinkForm(request.POST)
    here = form.cleaned_data.get("statement") if form.is_valid() else None
    reference = CrossReference.objects.filter(pk=pk).values("from_statement_id", "to_statement_id").first()
    if reference is not None and here not in reference.values():
        here = reference["from_statement_id"]  # the page to answer with: one of the link's ends
    statement = get_object_or_404(Statement, pk=here)
    try:
        actions.unlink(reference_id=pk, by=request.user)
    except actions.ActionError as exc:
        return _references_answer(request, statement, str(exc), "error", exc.status)
    return _references_answer(request, statement, "Link removed.")


@require_GET
@editor_required
def review(request: HttpRequest) -> HttpResponse:
    form = ReviewFilterForm(request.GET)
    filters = ReviewFilters.from_form(form)
    data = form.cleaned_data if form.is_valid() else {}
    context = review_context(filters, after=data.get("after"), before=data.get("before"), user=request.user)
    status = 200
    if not form.is_valid():
        context.update(filter_error=first_error(form))
        status = 400
    template = (
        "attributions/review.html#item"
        if request.htmx and not request.htmx.boosted
        else "attributions/review.html"
    )
    return TemplateResponse(request, template, context, status=status)
