"""An article's text as markup: each statement a span carrying its offsets, source and state.

An article of 400 statements is 400 of these spans; written as template tags and filters they
took most of the page's time (some fifty template nodes and two URL reversals per span), so
the span is built here in one pass, and a paragraph with all its pieces in one tag call (a
call per piece cost as much as the spans themselves). What every span of a page shares (the
address patterns, the state labels, each source's name, address and colour) is worked out
once per page. The markup is what ``articles/detail.html`` documents.
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from articles.models import Statement
from attributions.presentation import address_pattern, source_address_pattern

register = template.Library()


class _Spans:
    """Writes the spans of one rendering (one page, or one fragment of it).

    Text is escaped with ``html.escape``, which is what Django's ``escape`` does to a plain
    string, without a ``SafeString`` made per call: the texts and names come from the
    database, never pre-escaped.
    """

    def __init__(self) -> None:
        self.statement_url = address_pattern("articles:statement", 987654321)
        self.source_url = source_address_pattern()
        self.labels = {value: escape(str(label)) for value, label in Statement.State.choices}
        #: source pk -> (escaped name, escaped address, palette classes)
        self.sources: dict[int, tuple[str, str, str]] = {}

    def source(self, source) -> tuple[str, str, str]:
        found = self.sources.get(source.pk)
        if found is None:
            found = self.sources[source.pk] = (
                escape(source.name),
                escape(self.source_url.format(source.slug)),
                escape(source.palette),
            )
        return found

    def paragraph(self, paragraph, selected, oob) -> str:
        """A paragraph: its offset in the body is its id (the editing views swap it by that)."""
        pieces = "".join([self.piece(piece, selected, oob) for piece in paragraph])
        swap = ' hx-swap-oob="true"' if oob else ""
        return f'<p id="para-{paragraph.start}" data-start="{paragraph.start}"{swap}>{pieces}</p>'

    def piece(self, piece, selected, oob) -> str:
        """A piece of an article's text: a statement's span, or the text between statements."""
        if piece.statement is None:
            return f'<span data-start="{piece.start}">{escape(piece.text)}</span>'
        return self.span(piece.statement, selected, oob)

    def span(self, statement, selected, oob) -> str:
        claimed, via = statement.claimed, statement.conduit
        state = statement.state
        state_label = self.labels.get(state) or escape(state)
        via_unreviewed = via is not None and via.is_suggested
        via_name = self.source(via.source)[0] if via is not None else ""
        parts = [
            f'<span id="s{statement.pk}" data-statement="{statement.pk}" data-start="{statement.start}"'
            f' data-url="{self.statement_url.format(statement.pk)}"'
        ]
        classes = [f"stmt stmt--{escape(state)}"]
        if claimed is not None:
            name, url, palette = self.source(claimed.source)
            status = "unreviewed suggestion" if claimed.is_suggested else "confirmed by an editor"
            parts.append(f' data-source="{name}" data-source-url="{url}" data-status="{status}"')
            classes.append(f"{palette} stmt--{escape(claimed.status)}")
        if via is not None:
            parts.append(f' data-via="{via_name}{" (unreviewed)" if via_unreviewed else ""}"')
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
            title = name
            if via is not None:
                title += f" via {via_name}{' (via unreviewed)' if via_unreviewed else ''}"
            if claimed.is_suggested:
                title += " (unreviewed suggestion)"
        elif statement.is_frame and state != "own_claim":
            title = "Introduces the neighbouring claim and its source"
        else:
            title = state_label
        parts.append(f'title="{title}">{escape(statement.text)}')
        if claimed is not None:
            hidden = f"source: {name}"
            if via is not None:
                hidden += f", via {via_name}{', unreviewed' if via_unreviewed else ''}"
            if claimed.is_suggested:
                hidden += ", unreviewed suggestion"
            parts.append(f'<span class="visually-hidden" data-nontext> ({hidden})</span>')
        elif state == "needs_source":
            parts.append('<span class="visually-hidden" data-nontext> (source not identified yet)</span>')
        parts.append("</span>")
        return "".join(parts)


def _spans(context) -> _Spans:
    found = context.render_context.get(_Spans)
    if found is None:
        found = context.render_context[_Spans] = _Spans()
    return found


@register.simple_tag(takes_context=True)
def text_pieces(context, pieces, selected=None, oob=False) -> SafeString:
    """The pieces of a paragraph (or of the headline), one after the other."""
    spans = _spans(context)
    return mark_safe("".join([spans.piece(piece, selected, oob) for piece in pieces]))


@register.simple_tag(takes_context=True)
def text_paragraph(context, paragraph, selected=None, oob=False) -> SafeString:
    """A paragraph of the article's text and its pieces, as one ``<p>``."""
    return mark_safe(_spans(context).paragraph(paragraph, selected, oob))


@register.simple_tag(takes_context=True)
def statement_span(context, statement, selected=None, oob=False) -> SafeString:
    """A statement's span alone (the editing views swap it in after a change)."""
    return mark_safe(_spans(context).span(statement, selected, oob))
