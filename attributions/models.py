"""Who said it: sources and their aliases, attributions, cross-references."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Count, F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.urls import reverse
from simple_history.models import HistoricalRecords

from articles.models import Article, Statement
from attributions.engine import is_bare_description, normalise_alias

#: Number of highlight colours in static/css/app.css (.src-0 ... .src-N).
PALETTE_SIZE = 12


class SourceQuerySet(models.QuerySet):
    def listed(self) -> SourceQuerySet:
        return self.filter(proposed=False)

    def named(self, text: str) -> Source | None:
        """The source a person means by ``text``: its slug, its name or one of its aliases
        (any case), as filters and pickers accept them."""
        text = " ".join(text.split())
        if not text:
            return None
        found = self.filter(Q(slug=text) | Q(name__iexact=text)).order_by("proposed", "pk").first()
        if found is None:
            found = self.filter(aliases__normalised=normalise_alias(text)).order_by("proposed", "pk").first()
        return found

    def suggestions(self, text: str, limit: int = 12) -> SourceQuerySet:
        """Sources whose name or an alias contains ``text``, accepted ones and whole-name
        beginnings first (for autocompletes)."""
        text = " ".join(text.split())
        condition = Q(name__icontains=text) | Q(aliases__text__icontains=text)
        return self.filter(pk__in=models.Subquery(self.filter(condition).values("pk"))).order_by(
            "proposed", "name"
        )[:limit]

    def with_counts(self) -> SourceQuerySet:
        visible = ~Q(attributions__status=Attribution.Status.REJECTED)
        return self.annotate(
            claimed_count=Count(
                "attributions", filter=visible & Q(attributions__role=Attribution.Role.SOURCE)
            ),
            via_count=Count("attributions", filter=visible & Q(attributions__role=Attribution.Role.VIA)),
        )


class Source(models.Model):
    class Kind(models.TextChoices):
        NEWS_AGENCY = "news_agency", "News agency"
        BROADCASTER = "broadcaster", "Broadcaster"
        NEWSPAPER = "newspaper", "Newspaper or website"
        NGO = "ngo", "NGO"
        IGO = "igo", "Intergovernmental body"
        GOVERNMENT = "government", "Government body"
        MILITARY = "military", "Military"
        PARTY = "party", "Political party"
        PERSON = "person", "Person"
        UNNAMED = "unnamed", "Unnamed group"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    country = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code; empty for international."
    )
    state_affiliated = models.BooleanField(default=False)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    description = models.TextField(blank=True)
    homepage = models.URLField(blank=True)
    wikidata_id = models.CharField("Wikidata id", max_length=20, blank=True)
    reliability_note = models.TextField(blank=True)
    proposed = models.BooleanField(
        default=False,
        help_text="Proposed by the engine from an unknown name; an editor has not accepted it yet.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "country"], name="source_kind_country")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("attributions:source", args=[self.slug])

    @property
    def colour(self) -> int:
        """The palette index, from the primary key: the same on every page, whatever is
        renamed or edited. Sources of one article that share it get a ``pattern`` too."""
        return self.pk % PALETTE_SIZE

    #: A second cue (0 = plain, 1-3 = patterns) for sources sharing a colour in one article;
    #: set by attributions.presentation.paint().
    pattern = 0

    @property
    def palette(self) -> str:
        """The CSS classes that colour this source: ``src-3``, or ``src-3 pat-1``."""
        return f"src-{self.colour} pat-{self.pattern}" if self.pattern else f"src-{self.colour}"


def bare_alias_refusal(text: str, source_name: str) -> str | None:
    """Why ``text`` may not be saved as a name of a source, when it is a bare description (the
    engine's vocabulary decides): the editors' form, the action and the admin all say this."""
    text = " ".join(text.split())
    if not is_bare_description(text):
        return None
    return (
        f"“{text}” describes a speaker without naming one: as a name of {source_name}, every later "
        f"“{text} said”, in any article, would be suggested as {source_name}. "
        "Save the words that name it, such as its name or abbreviation."
    )


class SourceAlias(models.Model):
    """A surface form that names a source in text ("Tass", "the Syrian foreign ministry")."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="aliases")
    text = models.CharField(max_length=200)
    normalised = models.CharField(max_length=200, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "text"]
        verbose_name_plural = "source aliases"

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs) -> None:
        self.normalised = normalise_alias(self.text)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Refuse an alias that names nothing, or that already names a source (admin forms)."""
        self.text = " ".join((self.text or "").split())
        key = normalise_alias(self.text)
        if not key:
            raise ValidationError({"text": "An alias needs letters or digits."})
        # A description saved before the rule knew it may stay until an editor removes it.
        unchanged = self.pk is not None and SourceAlias.objects.filter(pk=self.pk, text=self.text).exists()
        try:
            source_name = self.source.name or "this source"
        except Source.DoesNotExist:  # the admin form's source is missing: its own error says so
            source_name = "this source"
        refusal = None if unchanged else bare_alias_refusal(self.text, source_name)
        if refusal:
            raise ValidationError({"text": refusal})
        others = SourceAlias.objects.filter(normalised=key).exclude(pk=self.pk)
        clash = others.select_related("source").first()
        if clash is not None:
            owner = "this source" if clash.source_id == self.source_id else clash.source.name
            raise ValidationError({"text": f"“{clash.text}” already names {owner}."})


class AttributionQuerySet(models.QuerySet):
    def visible(self) -> AttributionQuerySet:
        return self.exclude(status=Attribution.Status.REJECTED)

    def published(self) -> AttributionQuerySet:
        """What readers see: not rejected, on statements of articles not withdrawn."""
        return self.visible().filter(
            statement__start__isnull=False, statement__article__withdrawn_at__isnull=True
        )

    def published_without_joins(self) -> AttributionQuerySet:
        """``published``, leaving out the few statements readers do not see by their ids
        (``Statement.objects.unpublished_ids``) rather than joining every row to its statement
        and article: a query then stays on the attributions' own indexes. (Joined and ordered
        by statement, PostgreSQL may walk the statements' index from the newest one down to a
        deep page's cursor: a hundred milliseconds for the biggest source.)"""
        return self.visible().exclude(statement__in=Statement.objects.unpublished_ids())


class Attribution(models.Model):
    """A statement linked to a source, as its claimed source or the conduit it came via."""

    class Role(models.TextChoices):
        SOURCE = "source", "Claimed source"
        VIA = "via", "Via"

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"
        SUGGESTED = "suggested", "Suggested"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="attributions")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="attributions")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.SOURCE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    cue = models.CharField(max_length=100, blank=True)
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    mention = models.CharField(max_length=300, blank=True, help_text="The words naming the source.")
    mention_start = models.PositiveIntegerField(null=True, blank=True)
    mention_end = models.PositiveIntegerField(null=True, blank=True)
    mention_by_editor = models.BooleanField(default=False, help_text="An editor marked the mention's words.")
    cue_by_editor = models.BooleanField(default=False, help_text="An editor marked the cue's words.")
    confidence = models.FloatField(default=0.0)
    method = models.CharField(max_length=40, help_text="The engine rule that made it, or 'editor'.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = AttributionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["statement", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "source", "role"], name="attribution_unique_statement_source_role"
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="attribution_confidence_0_1",
            ),
            models.CheckConstraint(
                condition=Q(mention_start__isnull=True) | Q(mention_start__lt=F("mention_end")),
                name="attribution_mention_start_before_end",
            ),
            # A span is whole or absent: "start < end" alone lets a start without an end through.
            models.CheckConstraint(
                condition=Q(mention_start__isnull=True, mention_end__isnull=True)
                | Q(mention_start__isnull=False, mention_end__isnull=False),
                name="attribution_mention_span_whole",
            ),
            models.CheckConstraint(
                condition=Q(cue_start__isnull=True, cue_end__isnull=True)
                | Q(cue_start__isnull=False, cue_end__isnull=False, cue_start__lte=F("cue_end")),
                name="attribution_cue_span_whole",
            ),
            # An editor confirms one claimed source and one via per statement; confirming
            # another first rejects the one before (attributions.actions).
            models.UniqueConstraint(
                fields=["statement", "role"],
                condition=Q(status="confirmed"),
                name="attribution_one_confirmed_per_role",
            ),
        ]
        indexes = [
            models.Index(fields=["source", "role", "status"], name="attribution_source_role"),
            models.Index(fields=["status", "created_at"], name="attribution_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.source} ({self.status})"

    @property
    def is_suggested(self) -> bool:
        return self.status == self.Status.SUGGESTED


class CrossReferenceQuerySet(models.QuerySet):
    def published(self) -> CrossReferenceQuerySet:
        """The links readers see: both ends published (no statement of a withdrawn article,
        none waiting for a span)."""
        published = Statement.objects.published().values("pk")
        return self.filter(from_statement__in=published, to_statement__in=published)


class CrossReference(models.Model):
    class Relation(models.TextChoices):
        SAME_CLAIM = "same", "Same claim"
        SUPPORTS = "supports", "Supports"
        CONTRADICTS = "contradicts", "Contradicts"
        CITES = "cites", "Cites"

    from_statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="references_from")
    to_statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="references_to")
    relation = models.CharField(max_length=12, choices=Relation.choices)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CrossReferenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_statement", "to_statement", "relation"], name="crossref_unique"
            ),
            models.CheckConstraint(condition=~Q(from_statement=F("to_statement")), name="crossref_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.from_statement_id} {self.relation} {self.to_statement_id}"


class EditorAction(models.Model):
    """One editor action, as the journal keeps it: what it changed, so that it can be undone.

    ``before`` holds the rows the action could touch as they were (attributions.journal);
    ``after`` the revisions it left them at, so an undo can tell whether anyone changed them
    since (then it is refused rather than overwriting their work).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=40)
    message = models.CharField(max_length=300)
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    statement_id = models.BigIntegerField(null=True, blank=True, help_text="The statement it was about.")
    before = models.JSONField(encoder=DjangoJSONEncoder)
    after = models.JSONField(encoder=DjangoJSONEncoder)
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="undone_by"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="editoraction_user_recent")]

    def __str__(self) -> str:
        return f"{self.user}: {self.message}"

    @property
    def can_be_undone(self) -> bool:
        return self.undone_at is None and self.undo_of_id is None


class ArticlePresence(models.Model):
    """An editor working on an article, seen at ``seen_at`` (other editors are told)."""

    #: Shown to editors only: saving one leaves readers' kept pages as they are.
    readers_never_see = True

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="presence_one_per_editor")]

    def __str__(self) -> str:
        return f"{self.user} on #{self.article_id}"


#: The order of a statement's attributions: claimed sources before vias, confirmed before
#: suggested, the likeliest first. A statement's claimed source is its first one in this order.
SHOWN_ORDER = ("role", "status", "-confidence", "pk")


def with_attributions(statements: QuerySet[Statement], *, all_statuses: bool = False) -> QuerySet[Statement]:
    """Prefetch the attributions readers may see (not rejected) as ``shown``, sources included.

    With ``all_statuses``, rejected ones too, as ``all_attributions`` (for editors).
    """
    visible = Attribution.objects.visible().select_related("source").order_by(*SHOWN_ORDER)
    statements = statements.prefetch_related(Prefetch("attributions", queryset=visible, to_attr="shown"))
    if all_statuses:
        everything = Attribution.objects.select_related("source").order_by(*SHOWN_ORDER)
        statements = statements.prefetch_related(
            Prefetch("attributions", queryset=everything, to_attr="all_attributions")
        )
    return statements


def attributed_to(
    statements: QuerySet[Statement], source: Source | str, role: str = Attribution.Role.SOURCE
) -> QuerySet[Statement]:
    """The statements ``source`` (a source, or its slug) is claimed to have made, or, as
    ``role`` "via", passed on, by a confirmed or suggested attribution."""
    named = Q(source=source) if isinstance(source, Source) else Q(source__slug=source)
    linked = Attribution.objects.visible().filter(named, role=role)
    return statements.filter(pk__in=linked.values("statement_id"))


def with_attributions_on(statements: list[Statement]) -> None:
    """``with_attributions`` for statements already fetched (one query for them all)."""
    visible = Attribution.objects.visible().select_related("source").order_by(*SHOWN_ORDER)
    prefetch_related_objects(statements, Prefetch("attributions", queryset=visible, to_attr="shown"))


def is_reviewed(state: str, attributions: Iterable[Attribution]) -> bool:
    """Whether editors have decided a statement: its own claim, needing a source, or a
    claimed source an editor confirmed (the "n of m reviewed" an article shows)."""
    if state in (Statement.State.OWN_CLAIM, Statement.State.NEEDS_SOURCE):
        return True
    return any(
        a.role == Attribution.Role.SOURCE and a.status == Attribution.Status.CONFIRMED for a in attributions
    )


def state_for(current: str, attributions: Iterable[Attribution]) -> str:
    """The state a statement's attributions give it: the one rule behind ``Statement.state``.

    A claimed source that is confirmed or suggested makes it *attributed*. Without one, an
    editor's decision stands (*the article's own claim*, *needs a source*); rejected
    suggestions alone mean editors looked and found none right (*needs a source*); with no
    suggestion at all, *no source found*.
    """
    State = Statement.State
    sources = [a for a in attributions if a.role == Attribution.Role.SOURCE]
    if any(a.status != Attribution.Status.REJECTED for a in sources):
        return State.ATTRIBUTED
    if current in (State.OWN_CLAIM, State.NEEDS_SOURCE):
        return current
    return State.NEEDS_SOURCE if sources else State.NO_SOURCE
