"""REST API of the jobs app: vacancies, anonymized candidates and invitations (employers), matched
vacancies and applications (the person's caseworkers), placements and businesses. Same forms,
selectors and services as the pages."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from incluye.api.errors import error_response, form_errors, require_version
from incluye.core.pipeline import TransitionNotAllowed
from incluye.jobs import selectors, services
from incluye.jobs.forms import BusinessForm, VacancyForm
from incluye.jobs.index import get_index
from incluye.jobs.models import (
    ApplicationStatus,
    BusinessStatus,
    FundingKind,
    NotHiredReason,
    Pathway,
    Schedule,
    VacancyStatus,
)
from incluye.skills.models import EnglishLevel, Licence


class MatchReasonSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="occ, yrs, isco, skill, lic, std, unit, english, location, …")
    points = serializers.FloatField()
    text = serializers.CharField()
    items = serializers.ListField(child=serializers.CharField())


class VacancySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    version = serializers.IntegerField(
        help_text="send it back to change the vacancy: an old copy answers 409"
    )
    employer = serializers.CharField(source="employer.__str__")
    title = serializers.CharField()
    description = serializers.CharField()
    occupation = serializers.CharField(source="occupation.code", help_text="O*NET-SOC code")
    min_years = serializers.IntegerField()
    required_skills = serializers.SerializerMethodField()
    desired_skills = serializers.SerializerMethodField()
    required_standards = serializers.SerializerMethodField()
    desired_standards = serializers.SerializerMethodField()
    required_licences = serializers.ListField(child=serializers.CharField())
    desired_licences = serializers.ListField(child=serializers.CharField())
    english_level = serializers.ChoiceField(choices=EnglishLevel.choices)
    municipality = serializers.CharField(source="municipality.code")
    pay_min = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    pay_max = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    currency = serializers.CharField()
    schedule = serializers.ChoiceField(choices=Schedule.choices)
    positions = serializers.IntegerField()
    closes_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=VacancyStatus.choices)

    def get_required_skills(self, vacancy) -> list[str]:
        return [s.code for s in vacancy.required_skills.all()]

    def get_desired_skills(self, vacancy) -> list[str]:
        return [s.code for s in vacancy.desired_skills.all()]

    def get_required_standards(self, vacancy) -> list[str]:
        return [str(s.pk) for s in vacancy.required_standards.all()]

    def get_desired_standards(self, vacancy) -> list[str]:
        return [str(s.pk) for s in vacancy.desired_standards.all()]


class VacancyRequest(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, help_text="to change a vacancy (PUT): the version read; an old copy answers 409"
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    occupation = serializers.CharField(help_text="O*NET-SOC code, e.g. 47-2031.01")
    min_years = serializers.IntegerField(required=False, min_value=0, max_value=40, default=0)
    required_skills = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    desired_skills = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    required_standards = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
    desired_standards = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
    required_licences = serializers.ListField(
        child=serializers.ChoiceField(choices=Licence.choices), required=False, default=list
    )
    desired_licences = serializers.ListField(
        child=serializers.ChoiceField(choices=Licence.choices), required=False, default=list
    )
    english_level = serializers.ChoiceField(choices=EnglishLevel.choices, required=False, default="none")
    municipality = serializers.CharField(
        help_text="code of the municipality (see /countries/{code}/divisions/)"
    )
    pay_min = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    pay_max = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    schedule = serializers.ChoiceField(choices=Schedule.choices, required=False, default=Schedule.FULL_TIME)
    positions = serializers.IntegerField(required=False, min_value=1, max_value=1000, default=1)
    closes_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(
        choices=VacancyStatus.choices, required=False, default=VacancyStatus.OPEN
    )


def _vacancy_form(request, vacancy=None) -> VacancyForm:
    data = VacancyRequest(data=request.data)
    data.is_valid(raise_exception=True)
    values = {k: v for k, v in data.validated_data.items() if v is not None}
    # The page asks each skill, standard and licence as "required" or "desired": the API's lists
    # become those answers (a required one wins over the same one desired).
    for field in ("skills", "standards", "licences"):
        for level in ("desired", "required"):
            for option in values.pop(f"{level}_{field}", []):
                values[f"{field}-{option}"] = level
    form = VacancyForm(values, organization=request.membership.organization, vacancy=vacancy)
    if not form.is_valid():
        raise form_errors(form)
    return form


def _employer_or_403(request):
    if request.membership.organization.kind != "employer":
        raise PermissionDenied


class VacancyListView(APIView):
    """Employers: their vacancies; POST posts one. Others: the country's open vacancies."""

    required_permission = {"GET": "vacancies.view", "POST": "vacancies.manage"}

    @extend_schema(responses=VacancySerializer(many=True))
    def get(self, request):
        vacancies = selectors.vacancy_list(membership=request.membership).prefetch_related(
            "required_skills", "desired_skills", "required_standards", "desired_standards"
        )[:500]
        return Response(VacancySerializer(vacancies, many=True).data)

    @extend_schema(request=VacancyRequest, responses={201: VacancySerializer})
    def post(self, request):
        _employer_or_403(request)
        form = _vacancy_form(request)
        try:
            vacancy = services.vacancy_create(membership=request.membership, **form.vacancy_fields())
        except ValidationError as error:
            return error_response(error.messages[0], "invalid")
        return Response(VacancySerializer(vacancy).data, status=status.HTTP_201_CREATED)


class VacancyView(APIView):
    required_permission = None  # the object is looked up in scope first (404), then the role (403)

    @extend_schema(responses=VacancySerializer)
    def get(self, request, pk):
        return Response(
            VacancySerializer(selectors.vacancy_for_page(membership=request.membership, pk=pk)).data
        )

    @extend_schema(request=VacancyRequest, responses=VacancySerializer)
    def put(self, request, pk):
        vacancy = selectors.vacancy_for_page(membership=request.membership, pk=pk)
        if vacancy.employer_id != request.membership.organization_id:
            raise Http404
        if not request.membership.can("vacancies.manage"):
            raise PermissionDenied
        version = require_version(request)
        form = _vacancy_form(request, vacancy)
        try:
            vacancy = services.vacancy_update(
                membership=request.membership,
                vacancy=vacancy,
                expected_version=version,
                **form.vacancy_fields(),
            )
        except ValidationError as error:
            return error_response(error.messages[0], "invalid")
        return Response(VacancySerializer(vacancy).data)


class OccupationYearsSerializer(serializers.Serializer):
    title = serializers.CharField()
    code = serializers.CharField()
    years = serializers.CharField()
    skills = serializers.ListField(child=serializers.CharField())


class CandidateSerializer(serializers.Serializer):
    """An anonymized candidate: `name`, `phone` and `email` are empty until the person accepts."""

    candidate = serializers.CharField(source="pseudonym", help_text="pseudonym, stable for this vacancy")
    score = serializers.FloatField()
    reasons = MatchReasonSerializer(many=True)
    occupations = OccupationYearsSerializer(many=True)
    licences = serializers.ListField(child=serializers.CharField())
    english_level = serializers.CharField()
    department = serializers.CharField()
    application = serializers.UUIDField(source="application.pk", allow_null=True, default=None)
    status = serializers.CharField(source="application.status", allow_null=True, default=None)
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class VacancyCandidatesView(APIView):
    """The vacancy's matched candidates (its employer only), best first, anonymized."""

    required_permission = None  # the object is looked up in scope first (404), then the role (403)

    @extend_schema(responses=CandidateSerializer(many=True))
    def get(self, request, pk):
        vacancy = selectors.vacancy_of_employer(membership=request.membership, pk=pk)
        return Response(CandidateSerializer(selectors.matched_candidates(vacancy=vacancy), many=True).data)


class InviteRequest(serializers.Serializer):
    candidate = serializers.CharField(max_length=20, help_text="the candidate's pseudonym")


class ApplicationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    version = serializers.IntegerField(help_text="send it back with a step: an old copy answers 409")
    vacancy = serializers.UUIDField(source="vacancy_id")
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    score = serializers.FloatField()
    reasons = MatchReasonSerializer(many=True)
    pathway = serializers.ChoiceField(choices=Pathway.choices)
    interview_at = serializers.DateTimeField(allow_null=True)
    not_hired_reason = serializers.CharField()
    candidate = serializers.SerializerMethodField()

    def get_candidate(self, application) -> dict:
        """For the employer: the pseudonym (and, once accepted, name and contact). For the
        person's organization: the person's id."""
        membership = self.context["membership"]
        card = selectors.application_card(membership=membership, application=application)
        if card is None:
            return {"person": str(application.person_id)}
        return {"candidate": card.pseudonym, "name": card.name, "phone": card.phone, "email": card.email}


class VacancyInviteView(APIView):
    """The employer invites a matched candidate, by pseudonym."""

    required_permission = None  # the object is looked up in scope first (404), then the role (403)

    @extend_schema(request=InviteRequest, responses={201: ApplicationSerializer})
    def post(self, request, pk):
        vacancy = selectors.vacancy_of_employer(membership=request.membership, pk=pk)
        data = InviteRequest(data=request.data)
        data.is_valid(raise_exception=True)
        person, match = selectors.candidate_by_pseudonym(
            vacancy=vacancy, name=data.validated_data["candidate"]
        )
        if person is None:
            return error_response(str(_unavailable()), "not_available", 404)
        try:
            application = services.candidate_invite(
                membership=request.membership,
                vacancy=vacancy,
                person=person,
                score=round(match.score, 1),
                reasons=selectors.reason_texts(get_index().describe(match.reasons)),
            )
        except ValidationError as error:
            return error_response(error.messages[0], "not_invitable", 409)
        return Response(
            ApplicationSerializer(application, context={"membership": request.membership}).data,
            status=status.HTTP_201_CREATED,
        )


def _unavailable():
    from django.utils.translation import gettext

    return gettext("This candidate is no longer available.")


class VacancyMatchSerializer(serializers.Serializer):
    vacancy = VacancySerializer()
    score = serializers.FloatField()
    reasons = MatchReasonSerializer(many=True)


class PersonMatchesView(APIView):
    """Open vacancies matched to a person (the person's organization), best first."""

    required_permission = None  # the object is looked up in scope first (404), then the role (403)

    @extend_schema(responses=VacancyMatchSerializer(many=True))
    def get(self, request, pk):
        person = selectors.person_for_jobs(membership=request.membership, pk=pk)
        return Response(VacancyMatchSerializer(selectors.matched_vacancies(person=person), many=True).data)


class ApplicationListView(APIView):
    required_permission = "applications.view"

    @extend_schema(responses=ApplicationSerializer(many=True))
    def get(self, request):
        applications = (
            selectors.applications_visible_to(membership=request.membership)
            .select_related("vacancy", "person")
            .order_by("-updated_at")[:500]
        )
        return Response(
            ApplicationSerializer(applications, many=True, context={"membership": request.membership}).data
        )


class ApplicationView(APIView):
    required_permission = None  # the object is looked up in scope first (404), then the role (403)

    @extend_schema(responses=ApplicationSerializer)
    def get(self, request, pk):
        application = selectors.application_for_page(membership=request.membership, pk=pk)
        return Response(ApplicationSerializer(application, context={"membership": request.membership}).data)


class StepRequest(serializers.Serializer):
    version = serializers.IntegerField(help_text="the version read: a step on an old copy answers 409")
    to_status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    interview_at = serializers.DateTimeField(required=False, allow_null=True)
    reason = serializers.ChoiceField(choices=NotHiredReason.choices, required=False, allow_blank=True)
    pathway = serializers.ChoiceField(choices=Pathway.choices, required=False, allow_blank=True)
    started_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ApplicationStepView(APIView):
    """Move an application: the person's caseworker accepts (referred), declines or withdraws; the
    employer records the interview, the hire or not (with the reason)."""

    required_permission = None  # the object is looked up in scope first (404), then the role (403)

    @extend_schema(request=StepRequest, responses=ApplicationSerializer)
    def post(self, request, pk):
        application = selectors.application_for_page(membership=request.membership, pk=pk)
        data = StepRequest(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        try:
            application = services.application_step(
                membership=request.membership,
                application=application,
                to_status=d["to_status"],
                interview_at=d.get("interview_at"),
                reason=d.get("reason") or "",
                note=d.get("note") or "",
                pathway=d.get("pathway") or None,
                started_on=d.get("started_on"),
                expected_version=d["version"],
            )
        except TransitionNotAllowed as error:
            return error_response(error.message, "transition_not_allowed", 409)
        return Response(ApplicationSerializer(application, context={"membership": request.membership}).data)


class FollowUpSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    months = serializers.IntegerField()
    due_on = serializers.DateField()
    done_at = serializers.DateTimeField(allow_null=True)
    still_employed = serializers.BooleanField(allow_null=True)


class PlacementSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    application = serializers.UUIDField(source="application_id")
    employer = serializers.CharField(source="employer.__str__")
    started_on = serializers.DateField()
    pathway = serializers.ChoiceField(choices=Pathway.choices)
    follow_ups = FollowUpSerializer(many=True)


class PlacementListView(APIView):
    """Placements with their retention follow-ups at 1, 3 and 6 months."""

    required_permission = "applications.view"

    @extend_schema(responses=PlacementSerializer(many=True))
    def get(self, request):
        placements = (
            selectors.placements_visible_to(membership=request.membership)
            .select_related("employer")
            .prefetch_related("follow_ups")
            .order_by("-started_on")[:500]
        )
        return Response(PlacementSerializer(placements, many=True).data)


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=BusinessStatus.choices)
    on = serializers.DateField()


class FundingSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FundingKind.choices)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    source = serializers.CharField()
    obtained_on = serializers.DateField()


class BusinessSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    person = serializers.UUIDField(source="person_id")
    name = serializers.CharField()
    idea = serializers.CharField()
    sector = serializers.CharField()
    training = serializers.ListField(child=serializers.CharField())
    plan_done_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=BusinessStatus.choices)
    status_changes = StatusChangeSerializer(many=True)
    funding = FundingSerializer(many=True)


class BusinessRequest(serializers.Serializer):
    person = serializers.UUIDField()
    name = serializers.CharField(max_length=200)
    idea = serializers.CharField(max_length=4000)
    sector = serializers.CharField(max_length=120, required=False, allow_blank=True)
    training = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )
    plan_done_on = serializers.DateField(required=False, allow_null=True)


class BusinessListView(APIView):
    required_permission = {"GET": "businesses.view", "POST": "businesses.manage"}

    @extend_schema(responses=BusinessSerializer(many=True))
    def get(self, request):
        businesses = (
            selectors.businesses_visible_to(membership=request.membership)
            .prefetch_related("status_changes", "funding")
            .order_by("-created_at")[:500]
        )
        return Response(BusinessSerializer(businesses, many=True).data)

    @extend_schema(request=BusinessRequest, responses={201: BusinessSerializer})
    def post(self, request):
        data = BusinessRequest(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        person = selectors.person_for_jobs(membership=request.membership, pk=d.pop("person"))
        form = BusinessForm(
            {**d, "training": "\n".join(d.get("training", [])), "plan_done_on": d.get("plan_done_on") or ""}
        )
        if not form.is_valid():
            raise form_errors(form)
        business = services.business_create(membership=request.membership, person=person, **form.cleaned_data)
        return Response(BusinessSerializer(business).data, status=status.HTTP_201_CREATED)


class BusinessView(APIView):
    required_permission = None  # the object is looked up in scope first (404), then the role (403)

    @extend_schema(responses=BusinessSerializer)
    def get(self, request, pk):
        return Response(
            BusinessSerializer(selectors.business_for_page(membership=request.membership, pk=pk)).data
        )
