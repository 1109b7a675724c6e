"""REST API of the registry: people, returns, consents, search and manifest import.

Writes are validated by the same forms as the web pages (same rules, same translated messages)
and performed by the same services (same action log)."""

import datetime

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from incluye.api.errors import error_response, form_errors, require_version
from incluye.core.access import get_scoped_or_404
from incluye.people import imports, selectors, services
from incluye.people.forms import ConsentForm, IntakeForm, ManifestUploadForm, PersonCorrectForm
from incluye.people.models import (
    AccompaniedBy,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    DatePrecision,
    IdentityDocument,
    ManifestImport,
    MigrationStatus,
    Person,
    Population,
    ReturnedFrom,
    ReturnEvent,
    ReturnMode,
    Sex,
    Vulnerability,
)


def _as_querydict(data) -> QueryDict:
    if isinstance(data, QueryDict):
        return data.copy()  # a form-encoded body is immutable
    q = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            q.setlist(key, [str(v) for v in value])
        elif isinstance(value, bool):
            if value:
                q[key] = "on"
        elif value is not None:
            q[key] = str(value)
    return q


class IdentityDocumentSerializer(serializers.ModelSerializer):
    document_type = serializers.CharField(source="document_type.code")
    country = serializers.CharField(source="document_type.country_id")

    class Meta:
        model = IdentityDocument
        fields = ["document_type", "country", "number", "issued_on", "expires_on"]


class ReturnEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReturnEvent
        fields = [
            "id",
            "kind",
            "arrived_on",
            "returned_from",
            "origin_country",
            "accompanied_by",
            "mode",
            "reception_point",
            "transport_reference",
            "months_abroad",
            "vulnerabilities",
            "is_urgent",
            "manifest_reference",
            "manifest_row",
            "created_at",
        ]


class ConsentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consent
        fields = ["id", "purpose", "given", "method", "witness", "expires_on", "recorded_at"]


class PersonListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "given_names",
            "first_surname",
            "second_surname",
            "preferred_name",
            "sex",
            "created_at",
        ]


class PersonDetailSerializer(PersonListSerializer):
    nationality = serializers.CharField(source="nationality_id")
    residence = serializers.CharField(source="residence.code", default=None)
    documents = IdentityDocumentSerializer(many=True)
    returns = ReturnEventSerializer(many=True)
    consents = ConsentSerializer(many=True)

    class Meta(PersonListSerializer.Meta):
        fields = [
            *PersonListSerializer.Meta.fields,
            "birth_date",
            "birth_date_precision",
            "nationality",
            "residence",
            "phone",
            "languages",
            "preferred_language",
            "education",
            "household_size",
            "version",
            "documents",
            "returns",
            "consents",
        ]


class MigrationStatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = MigrationStatus
        fields = ["id", "kind", "category", "since", "until", "reference"]


def person_detail_data(person, *, membership) -> dict:
    """The person as the API gives them: protection-sensitive fields (nationality, documents for
    foreigners or of the country of origin, an arrival's country of origin, the migration status)
    only for the roles with `protection.view` — the same rules as the person's page."""
    data = PersonDetailSerializer(person).data
    if selectors.can_see_protection(membership):
        data["migration_statuses"] = MigrationStatusSerializer(
            selectors.statuses_of(person=person), many=True
        ).data
        return data
    data["nationality"] = None
    shown, _protected = selectors.documents_for_page(membership=membership, person=person)
    data["documents"] = IdentityDocumentSerializer(shown, many=True).data
    for event in data["returns"]:
        event["origin_country"] = None
    return data


class IntakeSerializer(serializers.Serializer):
    """One arrival, as in the intake form. Field rules and messages are the form's."""

    given_names = serializers.CharField()
    first_surname = serializers.CharField(required=False, allow_blank=True)
    second_surname = serializers.CharField(required=False, allow_blank=True)
    preferred_name = serializers.CharField(required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_date_precision = serializers.ChoiceField(choices=DatePrecision.choices, required=False)
    document_type = serializers.CharField(
        required=False, allow_blank=True, help_text="DPI, DUI, DNI, CEDULA, PASSPORT"
    )
    document_number = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    residence = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="municipality: its code (e.g. 0901) or its name, resolved within `department` when given",
    )
    department = serializers.CharField(
        required=False, allow_blank=True, help_text="department code or name (needed for a shared name)"
    )
    arrived_on = serializers.DateField()
    mode = serializers.ChoiceField(choices=ReturnMode.choices, required=False)
    returned_from = serializers.ChoiceField(choices=ReturnedFrom.choices, required=False)
    population = serializers.ChoiceField(
        choices=Population.choices, required=False, help_text="returnee (default) or an arrival's population"
    )
    nationality = serializers.CharField(
        required=False, allow_blank=True, help_text="an arrival's, ISO code: VE"
    )
    origin_country = serializers.CharField(required=False, allow_blank=True)
    border_point = serializers.CharField(required=False, allow_blank=True)
    accompanied_by = serializers.ChoiceField(choices=AccompaniedBy.choices, required=False)
    status_since = serializers.DateField(required=False, allow_null=True)
    other_status = serializers.CharField(required=False, allow_blank=True)
    resident_category = serializers.CharField(required=False, allow_blank=True)
    status_reference = serializers.CharField(required=False, allow_blank=True)
    document_expires_on = serializers.DateField(required=False, allow_null=True)
    transport_reference = serializers.CharField(required=False, allow_blank=True)
    months_abroad = serializers.IntegerField(required=False, allow_null=True)
    needs = serializers.ListField(
        child=serializers.ChoiceField(choices=Vulnerability.choices), required=False
    )
    consent_case_management = serializers.BooleanField(required=False)
    consent_alliance_sharing = serializers.BooleanField(required=False)
    consent_method = serializers.ChoiceField(choices=ConsentMethod.choices, required=False)
    consent_witness = serializers.CharField(required=False, allow_blank=True)
    attach_to = serializers.UUIDField(
        required=False, help_text="An existing person's id: record this return on that person instead."
    )
    confirm_new = serializers.BooleanField(
        required=False,
        help_text="The identity number is already held in the alliance, but this is a different person: "
        "register a new record anyway (logged).",
    )


def _resolve_residence(data, country: str) -> None:
    """A municipality given by name is resolved within its department; an ambiguous name without
    one is refused with both candidates named (the same rule as manifests)."""
    from incluye.core.divisions import DivisionIndex

    value, department = (data.get("residence") or "").strip(), (data.get("department") or "").strip()
    if not value and not department:
        return
    places = DivisionIndex.for_country(country)
    department_code, error = places.department(department) if department else ("", "")
    if error:
        raise serializers.ValidationError({"department": [error]})
    if value:
        code, error = places.municipality(value, department_code)
        if error:
            raise serializers.ValidationError({"residence": [error]})
        data["residence"] = code


class PersonListView(generics.ListCreateAPIView):
    """People registered by the caller's organization; `?q=` searches as the web page does (with
    `born=` as the search's).
    POST registers an arrival (like the intake form) and answers 201 with the person."""

    serializer_class = PersonListSerializer
    required_permission = {"GET": "people.view", "POST": "people.register"}

    def get_queryset(self):
        query = self.request.query_params.get("q", "").strip()
        if query:
            born, known = _born(self.request.query_params.get("born", "").strip())
            return selectors.people_search(
                membership=self.request.membership, query=query, birth_date=born, birth_precision=known
            )
        return selectors.people_list(membership=self.request.membership)

    @extend_schema(request=IntakeSerializer, responses={201: PersonDetailSerializer})
    def post(self, request):
        membership = request.membership
        data = _as_querydict(request.data)
        data.setdefault("sex", "X")
        data.setdefault("birth_date_precision", "day")
        data.setdefault("education", "unknown")
        data.setdefault("mode", "air")
        data.setdefault("returned_from", "US")
        data.setdefault("consent_method", "signed_form")
        _resolve_residence(data, membership.organization.country_id)
        form = IntakeForm(data, organization=membership.organization)
        if not form.is_valid():
            raise form_errors(form)
        if data.get("attach_to"):
            person = get_scoped_or_404(
                selectors.people_visible_to(membership=membership), pk=data["attach_to"]
            )
            services.intake_attach(membership=membership, person=person, form=form)
        else:
            # An identity number the alliance already holds is never registered again silently:
            # refused unless the caller confirms, like the officer at the desk, that it is a
            # different person (and then logged).
            matches = selectors.intake_matches(
                membership=membership, person_fields=form.person_fields(), documents=form.documents()
            )
            confirmed = str(data.get("confirm_new", "")).lower() in ("1", "true", "yes", "on")
            if matches.number_match and not confirmed:
                raise serializers.ValidationError(
                    {
                        "document_number": [
                            _(
                                "This identity number is already registered in the alliance. Record the return on "
                                "that record or ask its organization for access; if it is a different person, "
                                "send confirm_new."
                            )
                        ]
                    }
                )
            person = services.person_register(
                membership=membership,
                documents=form.documents(with_dates=True),
                return_event=form.return_event_fields(),
                migration_status=form.migration_status_fields(),
                consents=form.consents(),
                **form.person_fields(),
            )
            if matches.number_match:
                services.person_registered_over_match(
                    membership=membership,
                    person=person,
                    stubs=matches.stubs,
                    number_held_elsewhere=matches.number_held_elsewhere,
                )
        person = selectors.person_for_page(membership=membership, pk=person.pk)
        return Response(person_detail_data(person, membership=membership), status=status.HTTP_201_CREATED)


class PersonCorrection(serializers.Serializer):
    """A correction of the person's own details: only the fields sent change; the rest keep what is
    stored. `version` is the one read (or `If-Match`): a correction of an old copy answers 409.
    Rules and messages are the correction page's."""

    version = serializers.IntegerField(required=False)
    given_names = serializers.CharField(required=False)
    first_surname = serializers.CharField(required=False, allow_blank=True)
    second_surname = serializers.CharField(required=False, allow_blank=True)
    preferred_name = serializers.CharField(required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_date_precision = serializers.ChoiceField(choices=DatePrecision.choices, required=False)
    phone = serializers.CharField(required=False, allow_blank=True)
    residence = serializers.CharField(required=False, allow_blank=True, help_text="Code or name")
    department = serializers.CharField(required=False, allow_blank=True)
    languages = serializers.ListField(child=serializers.CharField(), required=False)
    preferred_language = serializers.CharField(required=False, allow_blank=True)
    education = serializers.CharField(required=False)
    household_size = serializers.IntegerField(required=False, allow_null=True)


def _correction_data(person, sent) -> QueryDict:
    """What the correction form reads: the stored values, then what the caller sent over them."""
    stored = PersonCorrectForm.stored(person)
    stored["birth_date"] = person.birth_date.isoformat() if person.birth_date else ""
    stored["birth_date_precision"] = person.birth_date_precision
    stored["phone"] = person.phone
    data = _as_querydict({k: v for k, v in stored.items() if v is not None})
    for key in sent:
        if key in data:
            del data[key]
    data.update(_as_querydict(sent))
    if "birth_date" in sent and "birth_date_precision" not in sent:
        data["birth_date_precision"] = DatePrecision.DAY
    return data


class PersonDetailView(generics.RetrieveAPIView):
    """One person with documents, returns and consents; the read is written to the action log.
    Nationality, migration status and the documents that tell them only for the roles that see
    protection-sensitive data (and their read is logged too)."""

    serializer_class = PersonDetailSerializer

    def get_object(self):
        person = selectors.person_for_page(membership=self.request.membership, pk=self.kwargs["pk"])
        services.person_viewed(membership=self.request.membership, person=person)
        return person

    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        if selectors.can_see_protection(request.membership):
            services.protection_viewed(
                membership=request.membership, person=person, shown=["nationality", "migration_status"]
            )
        return Response(person_detail_data(person, membership=request.membership))

    @extend_schema(request=PersonCorrection, responses={200: PersonDetailSerializer, 409: None})
    def patch(self, request, pk):
        """Correct the person's own details (the correction page's fields)."""
        membership = request.membership
        person = selectors.person_to_correct(membership=membership, pk=pk)
        if not membership.can("people.correct"):
            raise PermissionDenied
        sent = dict(request.data)  # a form-encoded body's values are lists: the form reads them
        unknown = sorted(set(sent) - set(PersonCorrection().fields))
        if unknown:
            message = _("This field cannot be changed here.")
            raise serializers.ValidationError({name: [message] for name in unknown})
        version = require_version(request)
        sent.pop("version", None)
        data = _correction_data(person, sent)
        data["version"] = str(version)
        _resolve_residence(data, person.organization.country_id)
        form = PersonCorrectForm(data, person=person)
        if not form.is_valid():
            raise form_errors(form)
        services.person_correct(
            membership=membership, person=person, expected_version=version, **form.details()
        )
        return Response(
            person_detail_data(selectors.person_for_page(membership=membership, pk=pk), membership=membership)
        )


class ConsentRequest(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    given = serializers.BooleanField()
    method = serializers.ChoiceField(choices=ConsentMethod.choices)
    witness = serializers.CharField(required=False, allow_blank=True)
    expires_on = serializers.DateField(required=False, allow_null=True)


class PersonConsentsView(APIView):
    """The person's consent history (newest first); POST appends a decision."""

    def _person(self, request, pk):
        return get_scoped_or_404(selectors.people_visible_to(membership=request.membership), pk=pk)

    @extend_schema(responses=ConsentSerializer(many=True))
    def get(self, request, pk):
        return Response(ConsentSerializer(self._person(request, pk).consents.all(), many=True).data)

    @extend_schema(request=ConsentRequest, responses={201: ConsentSerializer})
    def post(self, request, pk):
        person = self._person(request, pk)
        if not request.membership.can("consents.record"):
            raise PermissionDenied
        data = _as_querydict(request.data)
        data["given"] = "1" if str(request.data.get("given")).lower() in {"true", "1", "on"} else "0"
        form = ConsentForm(data)
        if not form.is_valid():
            raise form_errors(form)
        consent = services.consent_record(membership=request.membership, person=person, **form.cleaned_data)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class SearchHitSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


def _born(value: str):
    """(date, "day" | "month" | "year") of "1998-07-09", "1998-07" or "1998"; (None, "day") when
    empty; a structured 400 otherwise."""
    if not value:
        return None, "day"
    parts = value.split("-")
    try:
        if len(parts) <= 3 and len(parts[0]) == 4 and all(p.isdigit() for p in parts):
            year, month, day = (*map(int, parts), 1, 1)[:3]
            return datetime.date(year, month, day), ("year", "month", "day")[len(parts) - 1]
    except ValueError:
        pass
    raise serializers.ValidationError({"born": [_("Give the birth date as 1998, 1998-07 or 1998-07-09.")]})


class SearchView(APIView):
    """Search as you type: name parts (accents, typos, nicknames, English names, swapped
    surnames), an identity number or a phone. Ranked, with the reasons of each match."""

    required_permission = "people.view"

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True),
            OpenApiParameter("limit", int),
            OpenApiParameter(
                "born",
                str,
                description="The birth date as far as it is known: 1998, 1998-07 or 1998-07-09. "
                "Those born then come first.",
            ),
        ],
        responses=SearchHitSerializer(many=True),
    )
    def get(self, request):
        query = request.query_params.get("q", "").strip()
        if not query:
            raise serializers.ValidationError({"q": [serializers.CharField.default_error_messages["blank"]]})
        try:
            limit = max(1, min(50, int(request.query_params.get("limit", 10))))
        except ValueError as exc:
            raise serializers.ValidationError(
                {"limit": [serializers.IntegerField.default_error_messages["invalid"]]}
            ) from exc
        born, known = _born(request.query_params.get("born", "").strip())
        people = selectors.people_search(
            membership=request.membership, query=query, limit=limit, birth_date=born, birth_precision=known
        )
        return Response(
            [
                {
                    "id": p.pk,
                    "name": p.full_name,
                    "birth_date": p.birth_date,
                    "score": p.score,
                    "reasons": p.reasons,
                }
                for p in people
            ]
        )


class ManifestSerializer(serializers.ModelSerializer):
    """A manifest and what its check found. Never its whole list of errors: a count, a summary by
    problem (at most 50, each with at most 5 rows) and the link to the paginated errors."""

    problems = serializers.SerializerMethodField()
    errors_url = serializers.SerializerMethodField()
    new_submissions = serializers.SerializerMethodField()
    already_imported = serializers.SerializerMethodField()

    class Meta:
        model = ManifestImport
        fields = [
            "id",
            "reference",
            "arrived_on",
            "mode",
            "returned_from",
            "source",
            "file_name",
            "status",
            "total_rows",
            "processed_rows",
            "created_count",
            "skipped_count",
            "household_count",
            "new_submissions",
            "already_imported",
            "error_count",
            "problems",
            "errors_url",
            "created_at",
            "finished_at",
        ]

    def get_problems(self, manifest) -> list[dict]:
        return [
            {
                "column": p.get("column", ""),
                "message": p["message"],
                "count": p["count"],
                "rows": p["rows"][:5],
            }
            for p in manifest.error_summary[:50]
        ]

    def get_errors_url(self, manifest) -> str:
        from django.urls import reverse

        return reverse("api:manifest_errors", args=[manifest.pk])

    def get_new_submissions(self, manifest) -> int:
        return (manifest.review or {}).get("new", 0)

    def get_already_imported(self, manifest) -> int:
        return (manifest.review or {}).get("known", 0)


class ManifestErrorsView(generics.ListAPIView):
    """The problems kept for one manifest, row by row (the first ones of each kind), paginated; the
    total is the manifest's `error_count`."""

    required_permission = "manifests.import"

    class ErrorSerializer(serializers.Serializer):
        row = serializers.IntegerField()
        sheet = serializers.CharField(default="")
        column = serializers.CharField()
        message = serializers.CharField()

    serializer_class = ErrorSerializer

    def get_queryset(self):
        manifest = get_scoped_or_404(_manifests(self.request.membership), pk=self.kwargs["pk"])
        return manifest.errors


class ManifestUploadRequest(serializers.Serializer):
    reference = serializers.CharField()
    arrived_on = serializers.DateField()
    mode = serializers.ChoiceField(choices=ReturnMode.choices, required=False)
    returned_from = serializers.ChoiceField(choices=ReturnedFrom.choices, required=False)
    file = serializers.FileField()
    mapping = serializers.IntegerField(required=False)


def _manifests(membership):
    return selectors.manifests_for(membership=membership)


class ManifestListView(APIView):
    """Upload a manifest (multipart): it is checked row by row; nothing is imported yet."""

    parser_classes = [MultiPartParser, FormParser]
    required_permission = "manifests.import"

    @extend_schema(responses=ManifestSerializer(many=True))
    def get(self, request):
        return Response(ManifestSerializer(_manifests(request.membership)[:50], many=True).data)

    @extend_schema(request=ManifestUploadRequest, responses={201: ManifestSerializer})
    def post(self, request):
        data = request.data.copy()
        data.setdefault("mode", "air")
        data.setdefault("returned_from", "US")
        form = ManifestUploadForm(data, request.FILES, organization=request.membership.organization)
        if not form.is_valid():
            raise form_errors(form)
        manifest = imports.manifest_upload(membership=request.membership, **form.cleaned_data)
        return Response(ManifestSerializer(manifest).data, status=status.HTTP_201_CREATED)


class ManifestDetailView(generics.RetrieveAPIView):
    serializer_class = ManifestSerializer
    required_permission = "manifests.import"

    def get_object(self):
        return get_scoped_or_404(_manifests(self.request.membership), pk=self.kwargs["pk"])


class ManifestImportView(APIView):
    """Import a checked manifest (all rows or none). 409 when it still has errors."""

    required_permission = "manifests.import"

    @extend_schema(request=None, responses={200: ManifestSerializer, 409: None})
    def post(self, request, pk):
        manifest = get_scoped_or_404(_manifests(request.membership), pk=pk)
        if manifest.status != "ready":
            return error_response(
                _("Only a file without errors can be imported. Fix the rows and upload it again."),
                "not_ready",
                status.HTTP_409_CONFLICT,
            )
        manifest = imports.manifest_start_import(membership=request.membership, manifest=manifest)
        return Response(ManifestSerializer(manifest).data)


class ReturnRequest(serializers.Serializer):
    arrived_on = serializers.DateField()
    returned_from = serializers.ChoiceField(choices=ReturnedFrom.choices, default="US")
    mode = serializers.ChoiceField(choices=ReturnMode.choices, default="air")
    transport_reference = serializers.CharField(required=False, allow_blank=True, default="")
    months_abroad = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=900)
    vulnerabilities = serializers.ListField(
        child=serializers.ChoiceField(choices=Vulnerability.choices), required=False, default=list
    )

    def validate_arrived_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("The arrival date cannot be in the future."))
        return value


class PersonReturnsView(APIView):
    """The person's returns (newest first); POST records a new one."""

    def _person(self, request, pk):
        return get_scoped_or_404(selectors.people_visible_to(membership=request.membership), pk=pk)

    @extend_schema(responses=ReturnEventSerializer(many=True))
    def get(self, request, pk):
        data = ReturnEventSerializer(self._person(request, pk).returns.all(), many=True).data
        if not selectors.can_see_protection(request.membership):
            for event in data:  # an arrival's country of origin tells the nationality
                event["origin_country"] = None
        return Response(data)

    @extend_schema(request=ReturnRequest, responses={201: ReturnEventSerializer})
    def post(self, request, pk):
        person = self._person(request, pk)
        if not request.membership.can("people.register"):
            raise PermissionDenied
        data = ReturnRequest(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.return_event_record(
            membership=request.membership,
            person=person,
            reception_point=str(request.membership.organization),
            **data.validated_data,
        )
        return Response(ReturnEventSerializer(event).data, status=status.HTTP_201_CREATED)
