"""The texts: import batches and their per-file results, articles, statements."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, models
from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from articles import languages, search


class ImportBatch(models.Model):
    """One bulk import: from the admin upload page or the import_articles command.

    A batch is split into chunks (``ImportChunk``) that any worker can claim; its counts grow
    as chunks are committed, and it ends when every chunk is done.
    """

    class Origin(models.TextChoices):
        UPLOAD = "upload", "Admin upload"
        COMMAND = "command", "import_articles command"
        RERUN = "rerun", "Re-run with chosen encodings"

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Importing"
        INTERRUPTED = "interrupted", "Interrupted (resume it with import_articles --resume)"
        DONE = "done", "Done"
        FAILED = "failed", "Stopped by an error"

    class Mode(models.TextChoices):
        QUEUE = "queue", "Background workers (db_worker)"
        LOCAL = "local", "The import_articles command's own processes"

    origin = models.CharField(max_length=16, choices=Origin.choices)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DONE)
    mode = models.CharField(
        max_length=8,
        choices=Mode.choices,
        default=Mode.QUEUE,
        help_text="Who imports the chunks: queued tasks any db_worker takes, or the command itself "
        "(its files are on that machine's disk).",
    )
    encoding = models.CharField(
        max_length=32, blank=True, help_text="The encoding chosen for every file; empty: detected per file."
    )
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_progress_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker last committed files of this batch."
    )
    total_files = models.PositiveIntegerField(default=0)
    total_bytes = models.PositiveBigIntegerField(default=0, help_text="Expanded size of all its files.")
    done_bytes = models.PositiveBigIntegerField(default=0)
    imported_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def total_count(self) -> int:
        return self.imported_count + self.duplicate_count + self.failed_count

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)


class ImportChunk(models.Model):
    """A slice of a batch (a few hundred files or a few MB at most): one task, one transaction.

    A worker claims a chunk with a lease it renews while it works; a chunk whose lease ran
    out (its worker died) is claimed again, so every file ends exactly once.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Waiting"
        CLAIMED = "claimed", "Being imported"
        DONE = "done", "Done"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    # [{"name": shown name, "size": bytes, and where the bytes are: "upload" (a StagedUpload
    #   id), "path" (a file on the importing machine), "held" (a HeldFile id); "member": the
    #   name inside a zip; "root": the folder a path must stay in}, ...]
    items = models.JSONField(default=list)
    file_count = models.PositiveIntegerField(default=0)
    byte_count = models.PositiveBigIntegerField(default=0)
    worker = models.CharField(max_length=100, blank=True, help_text="host:pid of the worker holding it.")
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True, help_text="The queued task that imports it.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "number"]
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="import_chunk_unique_number")]
        indexes = [models.Index(fields=["state", "lease_until"], name="import_chunk_state_lease")]

    def __str__(self) -> str:
        return f"{self.batch} chunk {self.number}"


class StagedUpload(models.Model):
    """An uploaded file (or a command's file) kept until its batch ends, so that any worker on
    any host can read it: in the database by default, as parts of at most a few MB, or in the
    configured storage (``storage_name``)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="uploads")
    name = models.CharField(max_length=500)
    size = models.PositiveBigIntegerField(default=0)
    storage_name = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.name


class StagedPart(models.Model):
    upload = models.ForeignKey(StagedUpload, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["upload", "index"], name="staged_part_unique_index")]

    def __str__(self) -> str:
        return f"{self.upload} part {self.index}"


class ImportFile(models.Model):
    """What happened to one file of a batch, with the reason when it failed."""

    class Status(models.TextChoices):
        IMPORTED = "imported", "Imported"
        DUPLICATE = "duplicate", "Duplicate"
        FAILED = "failed", "Failed"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=500)
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices)
    reason = models.CharField(
        max_length=32, blank=True, help_text="Why it failed, in a word the summaries group by."
    )
    message = models.CharField(max_length=500, blank=True)
    encoding = models.CharField(max_length=32, blank=True, help_text="The encoding its text was read in.")
    article = models.ForeignKey("Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["batch", "pk"]

    def __str__(self) -> str:
        return f"{self.name}: {self.status}"


class HeldFile(models.Model):
    """The bytes of a file refused for an uncertain encoding, kept so that an admin can import it
    again with the encoding they choose (the rest of a batch's staged files are removed)."""

    file = models.OneToOneField(ImportFile, on_delete=models.CASCADE, related_name="held")
    guess = models.CharField(max_length=32, blank=True, help_text="The detector's best guess.")
    data = models.BinaryField()

    def __str__(self) -> str:
        return self.file.name


def in_date_range(since: date | None, until: date | None, *, prefix: str = "") -> Q:
    """Articles dated from ``since`` to ``until``, both days included (either may be None).

    An article's date is its publication date, else the day it was imported (in the current
    time zone). Both are asked as ranges of stored values, not as a date computed per row, so
    the index ``article_date`` finds them. ``prefix`` ("article__") asks it of statements.
    """
    if not since and not until:
        return Q()
    zone = timezone.get_current_timezone()
    published, imported = {}, {prefix + "published_on__isnull": True}
    if since:
        published[prefix + "published_on__gte"] = since
        imported[prefix + "created_at__gte"] = datetime.combine(since, time.min, zone)
    if until:
        published[prefix + "published_on__lte"] = until
        if until < date.max:  # the last day of the calendar has no next day to stop before
            imported[prefix + "created_at__lt"] = datetime.combine(until + timedelta(days=1), time.min, zone)
    return Q(**published) | Q(**imported)


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        """What readers see: articles not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)

    def dated(self, since: date | None, until: date | None) -> ArticleQuerySet:
        """Articles dated from ``since`` to ``until`` (see ``in_date_range``)."""
        return self.filter(in_date_range(since, until))

    def count_after(self, day: date | None, *, up_to: int) -> int:
        """How many articles are dated after ``day`` (none after no day), counted no further
        than ``up_to``: withdrawn ones too, so that ``article_date`` alone answers (a measure
        of how far back ``day`` lies, for ``StatementQuerySet.dated``)."""
        if day is None or day >= date.max:
            return 0
        dated = self.filter(published_on__gt=day).order_by()
        next_day = datetime.combine(day + timedelta(days=1), time.min, timezone.get_current_timezone())
        undated = self.filter(published_on__isnull=True, created_at__gte=next_day).order_by()
        counted = dated[:up_to].count()
        return counted + undated[: up_to - counted].count() if counted < up_to else counted

    def withdrawn(self) -> ArticleQuerySet:
        """Articles withdrawn from readers: few, and found by their own partial index."""
        return self.filter(withdrawn_at__isnull=False)

    def with_statement_counts(self) -> ArticleQuerySet:
        return self.annotate(statement_count=Count("statements", distinct=True))


class Article(models.Model):
    title = models.CharField(max_length=300)
    body = models.TextField(help_text="Normalised text; statement offsets point into it.")
    content_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the normalised body.")
    original_filename = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    language = models.CharField(
        max_length=8,
        blank=True,
        db_index=True,
        help_text="ISO 639-1 code of the text's language, detected at import; empty when undetermined.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    spans_revision = models.PositiveIntegerField(
        default=0,
        help_text="Bumped by every change to the article's statement spans; stale span edits are refused.",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_note = models.TextField(blank=True, help_text="Why the article was withdrawn, for readers.")

    objects = ArticleQuerySet.as_manager()
    # Every version of the text and every withdrawal, kept (see attributions.actions).
    history = HistoricalRecords(excluded_fields=["spans_revision"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The search's date filter: a range of publication dates, or of import times for
            # articles without one (articles.models.in_date_range).
            models.Index(fields=["published_on", "created_at"], name="article_date"),
            # Withdrawn articles are few: counts of what readers see count over the
            # attributions' own index and take these off (attributions.counts), so they must
            # be found without reading every article.
            models.Index(fields=["id"], condition=Q(withdrawn_at__isnull=False), name="article_withdrawn"),
            # Likewise the articles the stored English search vector does not cover (usually
            # few): the search leaves their statements out by these ids (articles.search).
            models.Index(
                fields=["id"], condition=~Q(language__in=search.INDEXED_LANGUAGES), name="article_not_english"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.pk])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def language_name(self) -> str:
        return languages.language_name(self.language)

    @property
    def text_direction(self) -> str:
        return languages.text_direction(self.language)


WORD = re.compile(r"[^\W\d_]+")
STOPWORDS = {
    "that",
    "this",
    "with",
    "from",
    "have",
    "been",
    "were",
    "their",
    "there",
    "which",
    "would",
    "about",
    "said",
    "says",
    "also",
    "into",
    "than",
    "them",
    "they",
    "will",
    "other",
    "more",
}


#: Search ranks at most this many of the newest matches.
SEARCH_CANDIDATES = 500
#: A date range's statements are found in a band of pks (``StatementQuerySet.dated``). Looking
#: up the band's top costs an index probe per article in the range (some 3 µs); walking down
#: to the range from the newest statement instead costs a row per statement of every newer
#: article (some 30 µs an article). So the top is looked up unless the range holds more than
#: BAND_RATIO times as many articles as there are newer ones (it reaches about the present) ...
BAND_RATIO = 10
#: ... and always for ranges of at most this many articles (a few milliseconds of probes). Their
#: band's bottom is looked up too: it stops a walk that finds fewer matches than a page at the
#: range's oldest statement (in a wide range such a walk is rare and the probes are not).
BAND_ALWAYS = 1000


def band_pays(count: int, until: date | None) -> bool:
    """Whether looking up where the statements of a date range's ``count`` articles lie costs
    less than walking down to them from the newest statement (see the figures above)."""
    if count <= BAND_ALWAYS:
        return True
    enough = count // BAND_RATIO
    return Article.objects.count_after(until, up_to=enough) >= enough


class StatementQuerySet(models.QuerySet):
    def anchored(self) -> StatementQuerySet:
        """Statements with a span in their article's text (not waiting for a new one)."""
        return self.filter(start__isnull=False)

    def published(self) -> StatementQuerySet:
        """What readers see: anchored statements of articles not withdrawn."""
        return self.anchored().filter(article__withdrawn_at__isnull=True)

    def published_without_joins(self) -> StatementQuerySet:
        """``published``, leaving out the statements of the few withdrawn articles by those
        articles' ids (a partial index) rather than joining every statement to its article:
        a search then stays on the statements' own indexes."""
        return self.anchored().exclude(article__in=Article.objects.withdrawn())

    def dated(self, since: date | None, until: date | None) -> StatementQuerySet:
        """Statements of articles dated from ``since`` to ``until`` (see ``in_date_range``).

        Pages list statements newest first (highest pk first), and a database finds a page by
        walking down from the newest statement until enough match. Statements are numbered as
        articles are imported, so those of a range that ended long ago lie, mostly, in a band
        of pks far below the newest: the walk would pass every statement of every newer
        article first (half a second at a million statements). So the band is looked up
        first, the highest and lowest pk among the range's articles' statements (one probe of
        the index ``statement_article_pk`` per article and end), and the walk starts at its
        top and stops at its bottom. The band is exact: a statement added to an old article
        later (a split, a corrected text) widens it, it is never missed. An open end of the
        range needs no probe: the band reaches the newest (or the oldest) statements there;
        nor does the bottom of a wide range (see BAND_ALWAYS).

        When the range holds many more articles than there are newer ones (it reaches to
        about the present), walking is the cheaper way and the band is not looked up.
        Unlike a filter, this asks the database at once (how many articles the range holds,
        and the band): call it when the statements are about to be fetched.
        """
        statements = self.filter(in_date_range(since, until, prefix="article__"))
        if not since and not until:
            return statements
        articles = Article.objects.dated(since, until)
        count = articles.count()
        if not count:
            return statements.none()
        if not band_pays(count, until):
            return statements
        own = self.model.objects.filter(article=OuterRef("pk")).values("pk")
        ends = {}
        if until:
            ends["pk__lte"] = Max(Subquery(own.order_by("-pk")[:1]))
        if since and count <= BAND_ALWAYS:
            ends["pk__gte"] = Min(Subquery(own.order_by("pk")[:1]))
        band = articles.aggregate(**ends)
        if None in band.values():  # the range's articles have no statements
            return statements.none()
        return statements.filter(**band)

    def unpublished_ids(self):
        """The ids of the statements readers do not see (waiting for a span, or of a withdrawn
        article), as a subquery: the complement of ``published``. Both kinds are few and found
        through partial indexes, so a count of what readers see can count everything and take
        these off, rather than join every row to its statement and article to ask."""
        waiting = self.filter(start__isnull=True).order_by().values("pk")
        withdrawn = self.filter(article__in=Article.objects.withdrawn()).order_by().values("pk")
        return waiting.union(withdrawn)

    def similar_to(self, statement: Statement) -> StatementQuerySet:
        """Statements in other articles worded like ``statement``, most similar first.

        PostgreSQL ranks by a full-text match on the statement's distinctive words; SQLite
        falls back to statements sharing one of its longest words.
        """
        words = sorted({w.lower() for w in WORD.findall(statement.text) if len(w) > 3}, key=len, reverse=True)
        words = [w for w in words if w not in STOPWORDS][:8]
        others = self.exclude(article_id=statement.article_id)
        if not words:
            return others.none()
        if connection.vendor == "postgresql":
            any_word = SearchQuery(" | ".join(words), config="english", search_type="raw")
            return others._ranked(
                others.alias(document=search.StoredVector()).filter(document=any_word), any_word
            )
        condition = Q()
        for word in words[:4]:
            condition |= Q(text__icontains=word)
        return others._newest(others.filter(condition)).order_by("-pk")

    def next_to(self, *, below: int | None = None, above: int | None = None) -> StatementQuerySet:
        """The statements among the ``search.WALK`` ids just below ``below`` (below the newest
        statement when None) or, given ``above``, just above it: where a search of several
        words looks first, row by row, before it asks the word index (``search.walks``)."""
        if above is not None:
            return self.filter(pk__gt=above, pk__lte=above + search.WALK)
        if below is None:
            below = (self.model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
        return self.filter(pk__gte=below - search.WALK, pk__lt=below)

    def matching(self, query: str, *, indexed: bool = True) -> StatementQuerySet:
        """Statements matching ``query`` (web-search syntax; see articles.search);
        ``indexed=False`` matches row by row, for ``next_to``'s few statements."""
        found = search.matching(self, query, indexed=indexed)
        if len(found) == 1:
            return found[0]
        either = Q()
        for queryset in found:
            either |= Q(pk__in=queryset.values("pk"))
        return self.filter(either)

    def search(self, query: str, *, limit: int = SEARCH_CANDIDATES) -> StatementQuerySet:
        """Statements matching ``query``: of the newest ``limit`` matches, best first."""
        matches = self.matching(query)
        if connection.vendor == "postgresql":
            return self._ranked(matches, SearchQuery(query, config="english", search_type="websearch"), limit)
        return self._newest(matches, limit).order_by("-pk")

    def _newest(self, matches: StatementQuerySet, limit: int = 200) -> StatementQuerySet:
        newest = matches.order_by("-pk").values("pk")[:limit]
        return self.filter(pk__in=models.Subquery(newest))

    def _ranked(self, matches: StatementQuerySet, query: SearchQuery, limit: int = 200) -> StatementQuerySet:
        """The newest ``limit`` of ``matches``, ranked (only they are ranked)."""
        return (
            self._newest(matches, limit)
            .annotate(rank=SearchRank(search.StoredVector(), query))
            .order_by("-rank", "-pk")
        )


class Statement(models.Model):
    """A claim in an article: a span of its body (usually a sentence)."""

    class State(models.TextChoices):
        """Where a statement stands: the one decision every page, export and count reads.

        Frames ("X, a long description, said") are a separate flag; a frame has a state too.
        """

        ATTRIBUTED = "attributed", "Attributed"  # a confirmed or suggested claimed source
        NEEDS_SOURCE = (
            "needs_source",
            "Needs a source",
        )  # editors rejected the suggestions or could not say
        OWN_CLAIM = "own_claim", "The article's own claim"  # only when an editor says so
        NO_SOURCE = "no_source", "No source found"  # nothing suggested, and nobody has looked yet

    class Origin(models.TextChoices):
        ENGINE = "engine", "The engine"
        EDITOR = "editor", "An editor"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="statements")
    paragraph = models.PositiveIntegerField()
    # Null only while the statement needs a new span: its words were not found in a corrected
    # text (its ``text`` keeps them); it is then shown to editors to place again.
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField()
    state = models.CharField(
        max_length=12,
        choices=State.choices,
        default=State.NO_SOURCE,
        db_index=True,
        help_text="Kept by the import and the editors' actions (see Statement.State).",
    )
    span_origin = models.CharField(
        max_length=8,
        choices=Origin.choices,
        default=Origin.ENGINE,
        help_text="Who drew the span: the engine may redraw its own, never an editor's.",
    )
    reviewed = models.BooleanField(
        default=False,
        db_index=True,
        help_text="Editors decided it: own claim, needs a source, or a confirmed source.",
    )
    is_frame = models.BooleanField(
        default=False,
        help_text='The words introducing a neighbouring statement\'s claim ("X, a long description, said").',
    )
    note = models.TextField(blank=True, help_text="Editors' note: plain text; links become links.")
    revision = models.PositiveIntegerField(
        default=0, help_text="Bumped by every editor change; stale edits are refused."
    )

    objects = StatementQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["revision"])

    class Meta:
        # Reading order. The statements of one article never overlap: on PostgreSQL an
        # exclusion constraint, on SQLite triggers (migration 0010 and articles.apps).
        ordering = ["article", "start"]
        indexes = [
            # The lowest and highest statement of an article, one probe each (StatementQuerySet.dated).
            models.Index(fields=["article", "id"], name="statement_article_pk"),
            # Statements waiting for a span are few (see ``start``); like withdrawn articles,
            # found without reading every statement (StatementQuerySet.unpublished_ids).
            models.Index(fields=["id"], condition=Q(start__isnull=True), name="statement_waiting_for_span"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="statement_start_before_end"),
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True) | Q(start__isnull=False, end__isnull=False),
                name="statement_span_whole_or_lost",
            ),
            models.UniqueConstraint(fields=["article", "start"], name="statement_unique_start"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("articles:statement", args=[self.pk])

    @property
    def claimed(self):
        """The attribution shown as the statement's source (needs the ``shown`` prefetch of
        ``attributions.models.with_attributions``)."""
        return next((a for a in self.shown if a.role == a.Role.SOURCE), None)

    @property
    def conduit(self):
        return next((a for a in self.shown if a.role == a.Role.VIA), None)

    @property
    def is_own_claim(self) -> bool:
        return self.state == self.State.OWN_CLAIM

    @property
    def is_anchored(self) -> bool:
        """False while the statement needs a new span (its words left a corrected text)."""
        return self.start is not None

    @cached_property
    def number(self) -> int | None:
        """The statement's place in its article, from 1 (pages that list them all set it)."""
        if self.start is None:
            return None
        return Statement.objects.filter(article_id=self.article_id, start__lt=self.start).count() + 1


class StatementTombstone(models.Model):
    """A statement that no longer exists as a span (its words went into another statement):
    its URL leads to the statement that holds its words now."""

    id = models.BigIntegerField(primary_key=True, help_text="The id the statement had.")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(
        Statement,
        on_delete=models.CASCADE,
        related_name="tombstones",
        help_text="The statement that holds its words now.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} -> #{self.statement_id}"
