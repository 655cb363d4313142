from __future__ import annotations

import codecs

from django import forms

from articles.text import DETECTED_ENCODINGS, canonical_encoding, encoding_label

# What an admin can choose: the detected encodings and other common ones.
_CHOSEN = (
    *DETECTED_ENCODINGS,
    "cp1250",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1257",
    "iso8859_8",
    "iso8859_9",
    "koi8_u",
    "big5",
    "euc_jp",
    "euc_kr",
    "mac_roman",
)
ENCODING_CHOICES = [
    (name, encoding_label(name)) for name in dict.fromkeys(codecs.lookup(n).name for n in _CHOSEN)
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files (Django's documented pattern)."""

    def __init__(self, *args, **kwargs) -> None:
        # An empty file is reported by the import, by name, like any other bad file.
        kwargs.setdefault("allow_empty_file", True)
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".txt,.text,.zip,text/plain,application/zip"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            if not data:
                return [single(None, initial)]  # "This field is required."
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="Article files",
        help_text="Plain-text articles (.txt, any common encoding) or .zip archives of them.",
    )
    encoding = forms.ChoiceField(
        label="Encoding",
        choices=[("", "Detect for each file"), *ENCODING_CHOICES],
        required=False,
        help_text="Choose one only when every file is in the same encoding and detection failed.",
    )


class RerunForm(forms.Form):
    """One encoding for every kept file, or one per file (a file's own choice wins)."""

    encoding = forms.ChoiceField(
        label="Encoding for all these files",
        choices=[("", "—"), *ENCODING_CHOICES],
        required=False,
    )

    def __init__(self, *args, held, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.held = held
        for kept in held:
            guess = canonical_encoding(kept.guess) if kept.guess else ""
            self.fields[f"file-{kept.pk}"] = forms.ChoiceField(
                label=kept.file.name,
                choices=[("", "— (the one above)"), *ENCODING_CHOICES],
                required=False,
                help_text=f"Best guess: {encoding_label(guess)}" if guess else "",
            )

    def clean(self):
        data = super().clean()
        if any(not (data.get(f"file-{kept.pk}") or data.get("encoding")) for kept in self.held):
            raise forms.ValidationError("Choose an encoding for every file, or one for all of them.")
        return data

    def first_error(self) -> str:
        for errors in self.errors.values():
            return str(errors[0])
        return ""

    def choices(self) -> list[tuple]:
        """(kept file, chosen encoding) for every kept file."""
        data = self.cleaned_data
        return [(kept, data.get(f"file-{kept.pk}") or data["encoding"]) for kept in self.held]
