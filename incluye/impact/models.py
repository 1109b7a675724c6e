import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incluye.core.pipeline import Pipeline
from incluye.core.versioning import Versioned


class IndicatorCell(models.Model):
    """The indicators, pre-aggregated by month and every dimension (the dashboards' summary
    table), rebuilt by `refresh_indicator_cells` (a task). Counts of people are counted once, in
    the month of their first event, so the cells of any period add up exactly."""

    indicator = models.CharField(max_length=40)
    country = models.ForeignKey("core.Country", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(null=True)  # null for stocks
    organization_id = models.BigIntegerField(null=True)
    department_id = models.BigIntegerField(null=True)
    sex = models.CharField(max_length=1, blank=True)
    age_group = models.CharField(max_length=8, blank=True)
    category = models.CharField(max_length=40, blank=True)
    value = models.FloatField()
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["country", "indicator", "month"])]

    def __str__(self):
        return f"{self.indicator} {self.country_id} {self.month}: {self.value}"


class CellRefresh(models.Model):
    """When the summary of a country was last rebuilt, and how long it took."""

    country = models.OneToOneField(
        "core.Country", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    refreshed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    cells = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.country_id} {self.refreshed_at:%Y-%m-%d %H:%M}"


class StoryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


STORY_PIPELINE = Pipeline(
    transitions={
        StoryStatus.DRAFT: {StoryStatus.PUBLISHED, StoryStatus.WITHDRAWN},
        StoryStatus.PUBLISHED: {StoryStatus.WITHDRAWN},
        StoryStatus.WITHDRAWN: {StoryStatus.PUBLISHED},
    },
    labels=dict(StoryStatus.choices),
    refusal=_("A story cannot go from “%(current)s” to “%(new)s”."),
)


class Story(Versioned):
    """A returnee's story for the awareness line: shown on the public page only while it is
    published AND the person's latest consent for stories and communications is given."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="stories")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    title_es = models.CharField(_("title (Spanish)"), max_length=160)
    title_en = models.CharField(_("title (English)"), max_length=160, blank=True)
    text_es = models.TextField(_("story (Spanish)"))
    text_en = models.TextField(_("story (English)"), blank=True)
    signature = models.CharField(
        _("signed as"), max_length=80, help_text=_("How the person wants to be named, e.g. a first name.")
    )
    photo = models.FileField(_("photo"), upload_to="stories/", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=StoryStatus.choices, default=StoryStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-published_at", "-created_at"]

    def __str__(self):
        return self.title_es

    def title(self, language: str) -> str:
        return (self.title_en if language == "en" else "") or self.title_es

    def text(self, language: str) -> str:
        return (self.text_en if language == "en" else "") or self.text_es
