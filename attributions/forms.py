"""Every input the pages take, editors' writes and readers' filters alike, goes through a form.

Forms bring what raw ``request.POST`` lookups lack: NUL bytes refused, lengths checked, ids
that are not numbers or name nothing reported as a message rather than a server error.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError

from articles.models import Statement
from articles.paging import BadCursor, decode_cursor
from attributions.models import Attribution, CrossReference, Source, bare_alias_refusal

#: The largest id (a 64-bit primary key) and revision (a positive 32-bit integer) the
#: database holds: a larger number names nothing, and SQLite cannot even be asked for it.
MAX_ID = 2**63 - 1
MAX_REVISION = 2**31 - 1


def first_error(form: forms.Form) -> str:
    """The form's first message, for a notice above the form."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        message = errors[0]
        return f"{label}: {message}" if label and field != "__all__" else message
    return "The form is not valid."


class SourceChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": "That source does not exist (any more): choose one from the list.",
        "required": "Choose a source from the list.",
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(queryset=Source.objects.all(), **kwargs)


def iso_country(value: str) -> str:
    country = value.strip().upper()
    if country and (len(country) != 2 or not country.isalpha()):
        raise ValidationError("Country must be a two-letter ISO code such as SY or GB, or left empty.")
    return country


# Readers' filters (GET) -----------------------------------------------------------------------


class SourceNameField(forms.CharField):
    """A source by the name, alias or slug a person typed (the autocomplete offers names)."""

    def clean(self, value) -> Source | None:
        text = super().clean(value)
        if not text:
            return None
        source = Source.objects.named(text)
        if source is None:
            raise ValidationError(f"No source is called “{text}”: pick one of the names offered.")
        return source


class CursorField(forms.CharField):
    """A page link's position in a keyset-paged list."""

    def __init__(self, kinds: tuple[type, ...], **kwargs) -> None:
        self.kinds = kinds
        super().__init__(max_length=60, required=False, **kwargs)

    def clean(self, value) -> tuple | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return decode_cursor(text, self.kinds)
        except BadCursor:
            raise ValidationError("This page link is broken: start again from the first page.") from None


class SearchForm(forms.Form):
    q = forms.CharField(label="Words to look for", max_length=200, required=False)
    source = SourceNameField(label="Claimed source", max_length=200, required=False)
    state = forms.ChoiceField(label="State", choices=[("", "Any"), *Statement.State.choices], required=False)
    publisher = forms.CharField(label="Publisher", max_length=200, required=False)
    since = forms.DateField(label="From", required=False)
    until = forms.DateField(label="To", required=False)
    sort = forms.ChoiceField(
        label="Order", choices=[("", "Newest first"), ("best", "Best match")], required=False
    )
    older = CursorField((int,))
    newer = CursorField((int,))
    page = forms.IntegerField(min_value=1, max_value=100, required=False)

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise ValidationError("The “From” date is after the “To” date.")
        data["publisher"] = " ".join((data.get("publisher") or "").split())
        return data


class ArticlePageForm(forms.Form):
    older = CursorField((datetime, int))
    newer = CursorField((datetime, int))


class DirectoryForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Any"), *Source.Kind.choices], required=False)
    country = forms.CharField(max_length=100, required=False)

    def clean_country(self) -> str:
        return iso_country(self.cleaned_data["country"])


class SourcePageForm(forms.Form):
    role = forms.ChoiceField(choices=Attribution.Role.choices, required=False)
    older = CursorField((int,))
    newer = CursorField((int,))


# Editors' pages (GET) ---------------------------------------------------------------------------


class ReviewFilterForm(forms.Form):
    """The review queue's filters; editors' forms carry them along with the prefix ``queue``."""

    source = SourceNameField(max_length=200, required=False)
    article = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    min_confidence = forms.FloatField(min_value=0, max_value=1, required=False)
    skip_busy = forms.BooleanField(required=False)  # articles another editor is active on
    after = forms.IntegerField(min_value=0, max_value=MAX_ID, required=False)
    before = forms.IntegerField(min_value=0, max_value=MAX_ID, required=False)


class AutocompleteForm(forms.Form):
    q = forms.CharField(max_length=100, required=False)
    # "tag": the source of words being tagged (no "New source" form beside that picker)
    field = forms.ChoiceField(choices=[("source", "source"), ("via", "via"), ("tag", "tag")], required=False)


class LinkSearchForm(forms.Form):
    q = forms.CharField(max_length=200, required=False)


# Editors' writes (POST) ---------------------------------------------------------------------------


class OriginForm(forms.Form):
    """Where an editor's form was sent from, so the answer can redraw that page."""

    origin = forms.ChoiceField(
        choices=[("article", "article"), ("review", "review"), ("statement", "statement")], required=False
    )
    item = forms.IntegerField(
        min_value=1, max_value=MAX_ID, required=False
    )  # the review queue's current item

    def cleaned_origin(self) -> str:
        return (self.cleaned_data.get("origin") if self.is_valid() else "") or "article"


class SetSourceForm(forms.Form):
    source = SourceChoiceField(label="Source")
    mention = forms.CharField(max_length=300, required=False)


class SetViaForm(forms.Form):
    via = SourceChoiceField(label="Via", required=False)
    clear = forms.BooleanField(required=False)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("clear") and not data.get("via") and "via" not in self.errors:
            raise ValidationError("Choose the outlet from the list.")
        return data


class NoteForm(forms.Form):
    note = forms.CharField(label="Note", max_length=5000, required=False, widget=forms.Textarea)


class NewSourceForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Kind", choices=Source.Kind.choices, initial=Source.Kind.OTHER)
    country = forms.CharField(label="Country", max_length=100, required=False)

    def clean_country(self) -> str:
        return iso_country(self.cleaned_data["country"])


class AliasForm(forms.Form):
    source = SourceChoiceField(label="Source")
    text = forms.CharField(label="Words the text uses", max_length=200)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("source") and data.get("text"):
            refusal = bare_alias_refusal(data["text"], data["source"].name)
            if refusal:
                self.add_error("text", refusal)
        return data


class LinkForm(forms.Form):
    to = forms.ModelChoiceField(
        queryset=Statement.objects.all(),
        error_messages={
            "invalid_choice": "That statement does not exist (any more).",
            "required": "Choose a statement to link to.",
        },
    )
    relation = forms.ChoiceField(label="Relation", choices=CrossReference.Relation.choices)
    note = forms.CharField(label="Note", max_length=2000, required=False)


class SelectionForm(forms.Form):
    """Words an editor selected in an article: offsets into its body."""

    start = forms.IntegerField(min_value=0, max_value=10**9)
    end = forms.IntegerField(min_value=0, max_value=10**9)


class TagForm(SelectionForm):
    source = SourceChoiceField(label="Source", required=False)
    needs_source = forms.BooleanField(required=False)
    q = forms.CharField(max_length=100, required=False)  # the picker's text, shown again on failure

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("source") and not data.get("needs_source") and "source" not in self.errors:
            raise ValidationError("Choose the source the selected words are attributed to.")
        return data


class SpansForm(forms.Form):
    """A span change names the article's spans revision the editor's page was drawn from."""

    spans_revision = forms.IntegerField(min_value=0, max_value=MAX_REVISION)


class ResizeForm(SpansForm):
    edge = forms.ChoiceField(choices=[("start", "start"), ("end", "end")])
    step = forms.TypedChoiceField(choices=[("1", "widen"), ("-1", "narrow")], coerce=int)


class SplitForm(SpansForm):
    at = forms.IntegerField(
        min_value=0, max_value=10**9, error_messages={"required": "Choose a word to split before."}
    )


class MergeForm(SpansForm):
    following = forms.ModelChoiceField(
        queryset=Statement.objects.all(),
        error_messages={"invalid_choice": "The next statement does not exist any more."},
    )
    following_revision = forms.IntegerField(min_value=0, max_value=MAX_REVISION)
    keep = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)


class MarkForm(forms.Form):
    kind = forms.ChoiceField(choices=[("mention", "speaker"), ("cue", "cue")])
    start = forms.IntegerField(min_value=0, max_value=10**9)
    end = forms.IntegerField(min_value=0, max_value=10**9)


class PlaceForm(SelectionForm, SpansForm):
    """Words an editor selected for a statement that needs a new span."""


class TextForm(SpansForm):
    text = forms.CharField(
        label="The article's corrected text",
        widget=forms.Textarea(attrs={"rows": 24}),
        max_length=5 * 1024 * 1024,
        strip=False,
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(label="Why it is withdrawn (readers see this)", max_length=2000)


class RevertForm(forms.Form):
    version = forms.IntegerField(
        min_value=1, max_value=MAX_ID, error_messages={"required": "Choose a version from the history."}
    )
    at = forms.DateTimeField(required=False)  # a later moment of the version (its attributions)


class BulkPreviewForm(forms.Form):
    """Which suggestions of an article to confirm at once: at or above a confidence, or those
    naming one source."""

    min_confidence = forms.FloatField(label="Confidence at least", min_value=0, max_value=1, required=False)
    source = forms.SlugField(label="Source", max_length=200, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("min_confidence") is None and not data.get("source") and not self.errors:
            raise ValidationError("Choose a confidence or a source.")
        return data


class BulkConfirmForm(forms.Form):
    """The (suggestion, statement revision) pairs the preview showed."""

    pair = forms.CharField(max_length=40)

    def __init__(self, data=None, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.raw_pairs = data.getlist("pair") if data is not None else []

    def clean(self) -> dict:
        pairs = []
        for raw in self.raw_pairs:
            left, _, right = raw.partition(":")
            if not (left.isdigit() and right.isdigit()) or len(raw) > 40:
                raise ValidationError("The list of suggestions is damaged: open the preview again.")
            if not (1 <= int(left) <= MAX_ID and int(right) <= MAX_REVISION):
                raise ValidationError("The list of suggestions is damaged: open the preview again.")
            pairs.append((int(left), int(right)))
        if not pairs:
            raise ValidationError("No suggestion to confirm.")
        if len(pairs) > 2000:
            raise ValidationError("At most 2,000 suggestions at once: narrow the choice.")
        return {"pairs": pairs}


class UnlinkForm(forms.Form):
    statement = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)  # the page the editor is on
