from django import template

from articles.notes import render_note

register = template.Library()


@register.filter
def note_html(text: str):
    """Render an editor's note safely (see articles.notes.render_note)."""
    return render_note(text)
