"""Load the built-in source registry (attributions/registry.json) into the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from attributions.engine import load_registry, normalise_alias
from attributions.models import Source, SourceAlias

FIELDS = ("name", "kind", "country", "state_affiliated", "description", "homepage")


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    aliases_added: int = 0
    alias_conflicts: list[str] | None = None


@transaction.atomic
def load_sources(entries: list[dict] | None = None) -> LoadReport:
    """Create or update every registry source and add its aliases; safe to run again.

    Editors' changes to aliases are kept: aliases are only ever added here.
    """
    entries = load_registry() if entries is None else entries
    report = LoadReport(alias_conflicts=[])
    by_slug: dict[str, Source] = {}
    for entry in entries:
        values = {field: entry.get(field) or Source._meta.get_field(field).get_default() for field in FIELDS}
        values["wikidata_id"] = entry.get("wikidata") or ""
        values["proposed"] = False
        source, created = Source.objects.update_or_create(slug=entry["slug"], defaults=values)
        by_slug[source.slug] = source
        report.created += created
        report.updated += not created
    for entry in entries:
        parent = entry.get("parent")
        if parent:
            source = by_slug[entry["slug"]]
            source.parent = by_slug.get(parent) or Source.objects.filter(slug=parent).first()
            source.save(update_fields=["parent"])
    known = dict(SourceAlias.objects.values_list("normalised", "source__slug"))
    for entry in entries:
        source = by_slug[entry["slug"]]
        for text in [entry["name"], *entry.get("aliases", [])]:
            key = normalise_alias(text)
            if not key:
                continue
            owner = known.get(key)
            if owner is None:
                SourceAlias.objects.create(source=source, text=text)
                known[key] = source.slug
                report.aliases_added += 1
            elif owner != source.slug:
                report.alias_conflicts.append(f"{text!r} already names {owner}, not {source.slug}")
    return report
