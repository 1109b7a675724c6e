import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incluye.core.text import fold


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    NOT_RECORDED = "X", _("Not recorded")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact date")
    MONTH = "month", _("Month and year only")
    YEAR = "year", _("Year only")


class Person(models.Model):
    """A participant: someone who returned and is (or was) on the pathway.

    The record belongs to the organization that registered the person; other organizations see it
    only through what the person consents to share (later issues).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    given_names = models.CharField(_("given names"), max_length=120)
    first_surname = models.CharField(_("first surname"), max_length=80, blank=True)
    second_surname = models.CharField(_("second surname"), max_length=80, blank=True)
    preferred_name = models.CharField(_("preferred name"), max_length=80, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("precision of the birth date"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.NOT_RECORDED)
    nationality = models.ForeignKey(
        "core.Country", verbose_name=_("nationality"), on_delete=models.PROTECT, related_name="+"
    )
    residence = models.ForeignKey(
        "core.Division",
        verbose_name=_("municipality of residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    household_size = models.PositiveSmallIntegerField(_("household size"), null=True, blank=True)
    # Surnames then given names, folded (no case, accents or ñ): for sorting and searching.
    name_key = models.CharField(max_length=300, editable=False, default="")
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_key"]
        indexes = [
            models.Index(fields=["organization", "name_key"]),
            models.Index(fields=["organization", "-created_at"]),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.refresh_name_key()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    def refresh_name_key(self) -> None:
        """Call before bulk_create, which does not call save()."""
        self.name_key = fold(f"{self.first_surname} {self.second_surname} {self.given_names}")

    @property
    def surnames(self) -> str:
        return " ".join(s for s in (self.first_surname, self.second_surname) if s)

    @property
    def full_name(self) -> str:
        return " ".join(s for s in (self.given_names, self.surnames) if s)

    @property
    def sortable_name(self) -> str:
        """Surnames first, as lists are read in Central America: “Pérez López, María José”."""
        return f"{self.surnames}, {self.given_names}" if self.surnames else self.given_names


class IdentityDocument(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    document_type = models.ForeignKey(
        "core.IdDocumentType", verbose_name=_("document type"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("number"), max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        constraints = [
            models.UniqueConstraint(fields=["document_type", "number"], name="identitydocument_unique_number")
        ]

    def __str__(self):
        return f"{self.document_type.code} {self.formatted_number}"

    @property
    def formatted_number(self) -> str:
        from incluye.core.identity import format_document_number

        return format_document_number(self.document_type.rule, self.number)
