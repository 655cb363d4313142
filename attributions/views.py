"""Reader pages (no login needed): home, articles, statements, search, the source directory.

Editors see the same pages with their tools added; what they may change is decided by the
editing views, never by these.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.models import Article, Statement, StatementTombstone
from articles.paging import BoundedPaginator, keyset_page
from articles.presentation import paragraphs, text_diff
from articles.text import paragraph_spans
from attributions import presence
from attributions import search as search_pages
from attributions.counts import article_total, counts_for_source, publishers, site_figures, source_counts
from attributions.exporting import CONTENT_TYPES, FORMAT_NAMES, export
from attributions.forms import (
    ArticlePageForm,
    AutocompleteForm,
    DirectoryForm,
    SearchForm,
    SourcePageForm,
    first_error,
)
from attributions.history import history_for
from attributions.models import (
    Attribution,
    CrossReference,
    Source,
    attributed_to,
    with_attributions,
    with_attributions_on,
)
from attributions.permissions import is_editor
from attributions.presentation import (
    TextStatement,
    article_patterns,
    legend_for,
    paint,
    paint_statements,
    panel_context,
    references_for,
    text_statements,
)

ARTICLES_PER_PAGE = 25
RESULTS_PER_PAGE = 25
SOURCES_PER_PAGE = 50
STATEMENTS_PER_PAGE = 30
COUNTS_SECONDS = 60
HISTORY_VERSIONS = 50


def with_statement_counts(articles) -> list[Article]:
    """Attach ``statement_count`` and the coverage (``reviewed_count`` of ``review_total``,
    frames aside) to each article of a page, in one grouped query."""
    articles = list(articles)
    rows = (
        Statement.objects.anchored()
        .filter(article__in=articles)
        .order_by()
        .values("article")
        .annotate(
            n=Count("pk"),
            to_review=Count("pk", filter=Q(is_frame=False)),
            reviewed=Count("pk", filter=Q(is_frame=False, reviewed=True)),
        )
    )
    counts = {row["article"]: row for row in rows}
    for article in articles:
        row = counts.get(article.pk, {})
        article.statement_count = row.get("n", 0)
        article.review_total = row.get("to_review", 0)
        article.reviewed_count = row.get("reviewed", 0)
    return articles


def home(request: HttpRequest) -> HttpResponse:
    recent = with_statement_counts(Article.objects.published().only("pk", "title", "created_at")[:6])
    return TemplateResponse(request, "articles/home.html", {"recent": recent, **site_figures()})


def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.only(
        "pk", "title", "publisher", "published_on", "created_at", "original_filename", "withdrawn_at"
    )
    if not is_editor(request.user):  # editors see withdrawn articles too, marked
        articles = articles.published()
    form = ArticlePageForm(request.GET)
    if not form.is_valid():
        context = {"page": keyset_page(articles, ("created_at", "pk"), size=ARTICLES_PER_PAGE)}
        context.update(error=first_error(form), article_total=article_total(), paging="")
        return TemplateResponse(request, "articles/list.html", context, status=400)
    page = keyset_page(
        articles,
        ("created_at", "pk"),
        size=ARTICLES_PER_PAGE,
        older_than=form.cleaned_data["older"],
        newer_than=form.cleaned_data["newer"],
    )
    page.items = with_statement_counts(page.items)
    context = {"page": page, "article_total": article_total(), "paging": ""}
    return TemplateResponse(request, "articles/list.html", context)


def title_end(article: Article) -> int:
    """Where the title line ends in the body (0 when the body does not start with it)."""
    first_line = article.body.split("\n", 1)[0]
    return len(first_line) if first_line.strip() == article.title.strip() else 0


def article_text(article: Article, statements: list[TextStatement]) -> dict:
    """The article's text as the page shows it: the headline (when an attributed headline is
    made of statements, shown in the heading itself) and the paragraphs after it."""
    end = title_end(article)
    in_title = [s for s in statements if s.start < end]
    return {
        "headline": paragraphs(article.body, in_title, 0, end)[0] if in_title else None,
        "paragraphs": paragraphs(article.body, statements, end),
    }


def paragraph_at(article: Article, offset: int) -> dict:
    """The context that redraws the one paragraph (or the headline) holding ``offset``."""
    end = title_end(article)
    if offset < end:
        p_start, p_end = 0, end
    else:
        p_start, p_end = next(
            ((s, e) for s, e in paragraph_spans(article.body) if s <= offset < e and s >= end), (end, end)
        )
    statements = text_statements(Statement.objects.filter(article=article, start__lt=p_end, end__gt=p_start))
    paint([a for s in statements for a in s.shown], article_patterns(article.pk))
    with_tombstones(article, statements)
    found = paragraphs(article.body, statements, p_start, p_end)
    if offset < end:
        return {"headline": found[0] if found and statements else None, "article": article}
    return {"paragraph": found[0] if found else None}


def withdrawn(request: HttpRequest, article: Article) -> TemplateResponse:
    """What readers find where links to a withdrawn article (or its statements) lead."""
    return TemplateResponse(request, "articles/withdrawn.html", {"article": article}, status=410)


def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    editor = is_editor(request.user)
    if article.is_withdrawn and not editor:
        return withdrawn(request, article)
    statements = text_statements(article.statements.anchored())
    paint_statements(statements)
    with_tombstones(article, statements)
    context = {
        "article": article,
        **article_text(article, statements),
        **legend_for(statements),
        "downloads": download_links("articles:export", article.pk),
    }
    if editor:  # statements whose words left a corrected text, to place again; who else is on it
        # (the page itself says the editor is here, by a POST once it is open: a GET writes nothing)
        context["unplaced"] = list(with_attributions(article.statements.filter(start__isnull=True)))
        context["others"] = presence.others_on(article.pk, request.user)
    return TemplateResponse(request, "articles/detail.html", context)


def article_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every version of an article's text, with what changed between them, and its withdrawals."""
    article = get_object_or_404(Article, pk=pk)
    if article.is_withdrawn and not is_editor(request.user):
        return withdrawn(request, article)
    records = list(article.history.select_related("history_user").order_by("history_date", "history_id"))
    versions, previous = [], None
    for record in records:
        version = {
            "when": record.history_date,
            "who": record.history_user.get_username() if record.history_user_id else "the import",
            "why": record.history_change_reason or ("imported" if record.history_type == "+" else "changed"),
            "diff": text_diff(previous.body, record.body)
            if previous and previous.body != record.body
            else None,
        }
        versions.append(version)
        previous = record
    versions.reverse()
    return TemplateResponse(
        request, "articles/history.html", {"article": article, "versions": versions[:HISTORY_VERSIONS]}
    )


def statement_page(request: HttpRequest, pk: int, *, kept: dict | None = None) -> TemplateResponse:
    """The statement page; for editors it carries the editing panel, which works without
    JavaScript (an editing view renders it again with ``kept`` input when a write fails)."""
    statement = get_object_or_404(
        with_attributions(Statement.objects.select_related("article"), all_statuses=True), pk=pk
    )
    if statement.article.is_withdrawn and not is_editor(request.user):
        return withdrawn(request, statement.article)
    # The patterns the article's page gives its sources, so a source looks the same here.
    patterns = article_patterns(statement.article_id)
    paint(statement.all_attributions, patterns)
    paint(statement.shown, patterns)
    previous = following = None
    context_statements = [statement]
    if statement.is_anchored:
        anchored = Statement.objects.anchored().filter(article_id=statement.article_id)
        context_statements = list(
            anchored.filter(paragraph=statement.paragraph).order_by("start").only("pk", "text", "start")
        )
        before = anchored.filter(start__lt=statement.start)
        previous = before.order_by("-start").only("pk").first()
        following = anchored.filter(start__gt=statement.start).order_by("start").only("pk").first()
        statement.number = before.count() + 1
    context = {
        "article": statement.article,
        "context_statements": context_statements,
        "previous": previous,
        "following": following,
        "references": references_for(statement, editor=is_editor(request.user)),
        "history": history_for(statement),
        "relations": CrossReference.Relation.choices,
    }
    if is_editor(request.user):
        context.update(panel_context(statement, origin="statement", kept=kept))
    else:
        context["statement"] = statement
    return TemplateResponse(request, "articles/statement.html", context)


def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        return statement_page(request, pk)
    except Http404:
        # Its words went into another statement: that one is its address now.
        tombstone = StatementTombstone.objects.filter(pk=pk).select_related("statement").first()
        if tombstone is None:
            raise
        return HttpResponsePermanentRedirect(tombstone.statement.get_absolute_url())


def with_tombstones(article: Article, statements: list[TextStatement]) -> None:
    """Give each statement the ids of statements whose words it holds now (``#s123`` links
    to those still select it)."""
    earlier: dict[int, list[int]] = defaultdict(list)
    for old, holder in StatementTombstone.objects.filter(article=article).values_list("id", "statement_id"):
        earlier[holder].append(old)
    for statement in statements:
        statement.tombstone_ids = earlier.get(statement.pk, [])


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context = {
        "form": form,
        "query": "",
        "states": Statement.State.choices,
        "candidates": search_pages.CANDIDATES,
    }
    if not form.is_valid():
        context.update(query=form.data.get("q", "")[:200], error=first_error(form))
        return TemplateResponse(request, "articles/search.html", context, status=400)
    data = form.cleaned_data
    query = " ".join(data["q"].split())
    filters = search_pages.Filters(
        source=data["source"],
        state=data["state"],
        publisher=data["publisher"],
        since=data["since"],
        until=data["until"],
    )
    context.update(query=query, filters=filters, sort=data["sort"], publishers=publishers())
    if query:
        if data["sort"] == "best":
            results = search_pages.best(query, filters, page=data["page"] or 1)
        else:
            older, newer = data["older"], data["newer"]
            results = search_pages.newest(
                query, filters, older_than=older[0] if older else None, newer_than=newer[0] if newer else None
            )
        search_pages.highlight(results, query)
        context["results"] = results
        context["paging"] = _paging_query(request, "older", "newer", "page")
        if not filters.any:
            context["sources"] = list(Source.objects.listed().suggestions(query, limit=10))
    return TemplateResponse(request, "articles/search.html", context)


def _paging_query(request: HttpRequest, *names: str) -> str:
    """The request's query string without its paging parameters (for the page links)."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def source_suggestions(request: HttpRequest) -> HttpResponse:
    """Names for a source filter's autocomplete (a <datalist>'s options, fetched as one types)."""
    form = AutocompleteForm(request.GET)
    text = " ".join(form.cleaned_data["q"].split()) if form.is_valid() else ""
    sources = list(Source.objects.suggestions(text)) if len(text) >= 2 else []
    return TemplateResponse(request, "attributions/_source_options.html", {"sources": sources})


def source_list(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET)
    status = 200
    if form.is_valid():
        kind, country, error = form.cleaned_data["kind"], form.cleaned_data["country"], ""
    else:
        kind, country, error, status = "", "", first_error(form), 400
    base = Source.objects.listed()
    # Each facet counts within the other facet's choice, so the numbers match what a click shows.
    in_country = base.filter(country=country) if country else base
    in_kind = base.filter(kind=kind) if kind else base
    kinds = dict(in_country.order_by().values_list("kind").annotate(n=Count("pk")))
    countries = in_kind.exclude(country="").order_by("country").values_list("country").annotate(n=Count("pk"))
    sources = in_kind.filter(country=country) if country else in_kind
    page = BoundedPaginator(sources.select_related("parent"), SOURCES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    counts = source_counts()
    for source in page.object_list:
        source.claimed_count = counts.get(source.pk, {}).get(Attribution.Role.SOURCE, 0)
        source.via_count = counts.get(source.pk, {}).get(Attribution.Role.VIA, 0)
    return TemplateResponse(
        request,
        "attributions/source_list.html",
        {
            "page": page,
            "kind": kind,
            "country": country,
            "error": error,
            "kind_facets": [(value, label, kinds.get(value, 0)) for value, label in Source.Kind.choices],
            "country_facets": list(countries),
            "total": base.count(),
            "kind_total": sum(kinds.values()),
            "country_total": in_kind.count(),
        },
        status=status,
    )


def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source.objects.select_related("parent"), slug=slug)
    form = SourcePageForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    role = data.get("role") or Attribution.Role.SOURCE
    attributions = (
        Attribution.objects.published_without_joins()
        .filter(source=source, role=role)
        .only("pk", "source_id", "role", "status", "cue", "statement_id")
    )
    # Newest statements first, a page at a time from the last one shown: as fast on page 500
    # as on page 1. Their statements and articles come after, by id (see
    # published_without_joins).
    page = keyset_page(
        attributions,
        ("statement_id",),
        size=STATEMENTS_PER_PAGE,
        older_than=data.get("older"),
        newer_than=data.get("newer"),
    )
    shown = Statement.objects.select_related("article").only(
        "text", "start", "article__title", "article__created_at"
    )
    prefetch_related_objects(page.items, Prefetch("statement", queryset=shown))
    statements = [a.statement for a in page.items]
    with_attributions_on(statements)
    groups: dict[int, dict] = {}
    for attribution in page.items:
        article = attribution.statement.article
        groups.setdefault(article.pk, {"article": article, "items": []})["items"].append(attribution)
    for group in groups.values():
        group["items"].sort(key=lambda a: a.statement.start)
    # From the directory's figure of every source; without one, this source's alone.
    counts = counts_for_source(source)
    return TemplateResponse(
        request,
        "attributions/source_detail.html",
        {
            "source": source,
            "role": role,
            "page": page,
            "groups": list(groups.values()),
            "error": "" if valid else first_error(form),
            "claimed_count": counts.get(Attribution.Role.SOURCE, 0),
            "via_count": counts.get(Attribution.Role.VIA, 0),
            "children": source.children.order_by("name"),
            "aliases": source.aliases.select_related("created_by").order_by("text"),
            "downloads": download_links("attributions:export", source.slug, query=f"?role={role}"),
            "paging": f"role={role}",
        },
        status=200 if valid else 400,
    )


# Downloads: an article's or a source's statements as CSV, JSON Lines or Web Annotations ------


def download_links(name: str, *args, query: str = "") -> list[dict]:
    """Each export format's link to the statements of the page named ``name`` with ``args``."""
    return [
        {"format": format, "name": label, "url": reverse(name, args=[*args, format]) + query}
        for format, label in FORMAT_NAMES.items()
    ]


def download(request: HttpRequest, statements, format: str, name: str, label: str) -> StreamingHttpResponse:
    """Readers' downloads: published statements only, and no editors' names."""
    pieces = export(
        statements,
        format,
        url=request.build_absolute_uri,
        collection=request.get_full_path(),
        label=label,
        public=True,
    )
    response = StreamingHttpResponse(pieces, content_type=CONTENT_TYPES[format])
    # Annotation clients load the collection from its URL; the others are files to keep.
    disposition = "inline" if format == "jsonld" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}.{format}"'
    return response


def article_export(request: HttpRequest, pk: int, format: str) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    if article.is_withdrawn:
        return withdrawn(request, article)
    statements = article.statements.published()
    return download(
        request, statements, format, f"article-{pk}-statements", f"Statements in “{article.title}”"
    )


def source_export(request: HttpRequest, slug: str, format: str) -> HttpResponse:
    source = get_object_or_404(Source, slug=slug)
    form = SourcePageForm(request.GET)
    role = (form.cleaned_data["role"] if form.is_valid() else "") or Attribution.Role.SOURCE
    statements = attributed_to(Statement.objects.published(), source, role)
    how = "claimed to come from" if role == Attribution.Role.SOURCE else "carried via"
    label = f"Statements {how} {source.name}"
    return download(request, statements, format, f"{slug}-{role}-statements", label)
