"""An article's text as markup: each statement a span carrying its offsets, source and state.

An article of 400 statements is 400 of these spans; written as template tags and filters they
took most of the page's time (some fifty template nodes and two URL reversals per span), so
the span is built here in one pass. The markup is what ``articles/detail.html`` documents.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class _Urls:
    """Statement and source addresses by pattern: one ``reverse`` each per page, not per span."""

    def __init__(self) -> None:
        marker = 987654321
        self.statement = reverse("articles:statement", args=[marker]).replace(str(marker), "{}")
        self.source = reverse("attributions:source", args=["slug-marker"]).replace("slug-marker", "{}")


def _urls(context) -> _Urls:
    found = context.render_context.get(_Urls)
    if found is None:
        found = context.render_context[_Urls] = _Urls()
    return found


@register.simple_tag(takes_context=True)
def text_piece(context, piece, selected=None, oob=False) -> SafeString:
    """A piece of an article's text: a statement's span, or the text between statements."""
    statement = piece.statement
    if statement is None:
        return mark_safe(f'<span data-start="{piece.start}">{esc(piece.text)}</span>')
    return statement_span(context, statement, selected, oob)


@register.simple_tag(takes_context=True)
def statement_span(context, statement, selected=None, oob=False) -> SafeString:
    urls = _urls(context)
    claimed, via = statement.claimed, statement.conduit
    state_label = esc(statement.get_state_display())
    via_unreviewed = via is not None and via.is_suggested
    parts = [
        f'<span id="s{statement.pk}" data-statement="{statement.pk}" data-start="{statement.start}"'
        f' data-url="{urls.statement.format(statement.pk)}"'
    ]
    classes = [f"stmt stmt--{esc(statement.state)}"]
    if claimed is not None:
        source = claimed.source
        status = "unreviewed suggestion" if claimed.is_suggested else "confirmed by an editor"
        parts.append(
            f' data-source="{esc(source.name)}" data-source-url="{esc(urls.source.format(source.slug))}"'
            f' data-status="{status}"'
        )
        classes.append(f"{esc(source.palette)} stmt--{esc(claimed.status)}")
    if via is not None:
        parts.append(f' data-via="{esc(via.source.name)}{" (unreviewed)" if via_unreviewed else ""}"')
    parts.append(f' data-state="{state_label}"')
    was = getattr(statement, "tombstone_ids", None)  # set by the article page only
    if was:
        parts.append(f' data-was="{" ".join(map(str, was))}"')
    if oob:
        parts.append(' hx-swap-oob="true"')
    if statement.is_frame:
        classes.append("stmt--frame")
    if statement.span_origin == "editor":
        classes.append("stmt--editor")
    if selected == statement.pk:
        classes.append("is-selected")
    parts.append(f' class="{" ".join(classes)}" ')
    if claimed is not None:
        title = esc(claimed.source.name)
        if via is not None:
            title += f" via {esc(via.source.name)}{' (via unreviewed)' if via_unreviewed else ''}"
        if claimed.is_suggested:
            title += " (unreviewed suggestion)"
    elif statement.is_frame and statement.state != "own_claim":
        title = "Introduces the neighbouring claim and its source"
    else:
        title = state_label
    parts.append(f'title="{title}">{esc(statement.text)}')
    if claimed is not None:
        hidden = f"source: {esc(claimed.source.name)}"
        if via is not None:
            hidden += f", via {esc(via.source.name)}{', unreviewed' if via_unreviewed else ''}"
        if claimed.is_suggested:
            hidden += ", unreviewed suggestion"
        parts.append(f'<span class="visually-hidden" data-nontext> ({hidden})</span>')
    elif statement.state == "needs_source":
        parts.append('<span class="visually-hidden" data-nontext> (source not identified yet)</span>')
    parts.append("</span>")
    return mark_safe("".join(parts))
