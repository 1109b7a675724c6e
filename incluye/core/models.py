from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from incluye.core.text import pick_language


class Country(models.Model):
    """A country. Those the alliance works in are configured from their data files
    (core/data/countries/*.json: divisions, documents, migration rules); every other country is
    a nationality or a country of origin, with its name and the identity documents known for it
    (core/data/countries/origins.json)."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    names = models.JSONField(_("names"), help_text="{'es': ..., 'en': ...}")
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    phone_region = models.CharField(_("phone region"), max_length=2, blank=True)
    calling_code = models.CharField(_("calling code"), max_length=4, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    division_levels = models.JSONField(_("division levels"), default=list)
    divisions_source = models.TextField(_("source of the divisions"), blank=True)
    # What a foreigner's migration status lets them do there (work by status or by document),
    # its residence categories, the bodies that recognise qualifications from abroad: see the
    # "migration" key of the country's data file.
    migration = models.JSONField(_("migration rules"), default=dict, blank=True)
    # The languages its desks ask about, in the order they are offered (codes of
    # people.models.Language); empty: all of them.
    languages = models.JSONField(_("languages asked at registration"), default=list, blank=True)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.names)

    def level_name(self, level: int) -> str:
        for entry in self.division_levels:
            if entry["level"] == level:
                return pick_language(entry["name"])
        return ""


class Division(models.Model):
    """An administrative division: department/province, municipality/canton, district."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="divisions")
    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        ordering = ["country", "code"]
        constraints = [models.UniqueConstraint(fields=["country", "code"], name="division_unique_code")]

    def __str__(self):
        if self.parent_id and self.parent:
            return f"{self.name}, {self.parent.name}"
        return self.name


class IdDocumentType(models.Model):
    """A kind of identity document and the rule that validates its numbers."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="id_document_types")
    code = models.CharField(_("code"), max_length=16)
    names = models.JSONField(_("names"))
    rule = models.CharField(_("validation rule"), max_length=32)
    example = models.CharField(_("example"), max_length=32, blank=True)
    is_national_id = models.BooleanField(_("national identity document"), default=False)
    # A document the country issues to foreigners (an asylum seeker's card, a residence card, a
    # work permit), with what it means for the person: see "foreigner_documents" in the data.
    for_foreigners = models.BooleanField(_("document for foreigners"), default=False)
    issued_by = models.CharField(_("issued by"), max_length=200, blank=True)
    has_expiry = models.BooleanField(_("expires"), default=False)
    remind_days = models.PositiveSmallIntegerField(_("remind this many days before it expires"), default=0)
    # The migration statuses whose documents checklist includes it.
    statuses = models.JSONField(_("statuses"), default=list, blank=True)
    # Held and valid, it lets the person work (where the status says work comes with a document),
    # provided the documents named in `requires` are held too.
    grants_work = models.BooleanField(_("authorizes work"), default=False)
    requires = models.JSONField(_("requires"), default=list, blank=True)
    source = models.TextField(_("source"), blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("identity document type")
        verbose_name_plural = _("identity document types")
        ordering = ["country", "-is_national_id", "code"]
        constraints = [models.UniqueConstraint(fields=["country", "code"], name="iddoctype_unique_code")]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.names)

    def clean_number(self, value: str, *, places=None) -> str:
        """Validate and normalize a number, raising a translated ValidationError.

        `places`: the set of the country's division codes, to validate many numbers without a
        query each."""
        from incluye.core.identity import validate_document_number

        return validate_document_number(self.rule, value, country=self.country, places=places)


class ActionLogEntry(models.Model):
    """Who did what to which record, and who read which sensitive record (pretix-style)."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    object = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(_("details"), default=dict, blank=True)
    # The person the record is about (their own record, case, note, scan, job…): for the
    # "who saw my data" report. Not a foreign key: the entry outlives an erased person.
    person_id = models.UUIDField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("action log entry")
        verbose_name_plural = _("action log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def display(self) -> str:
        from incluye.core.actionlog import describe

        return describe(self)


class PendingNotification(models.Model):
    """A notification kept for a user's daily digest (users who chose one message a day). Holds
    what the notification would have said — a template and its context, never personal data."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    template = models.CharField(max_length=120)
    context = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "created_at", "id"]

    def __str__(self):
        return f"{self.user_id} · {self.template}"
