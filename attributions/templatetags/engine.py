"""What templates ask about the engine: does it make suggestions for an article's language?"""

from django import template

from attributions.suggesting import suggests_for

register = template.Library()


@register.filter
def suggested(article) -> bool:
    """True when the engine made (or would make) suggestions for the article's language."""
    return suggests_for(article.language)
