"""REST API of the skills app: the work history abroad, the occupation coder, skills profiles and
the catalogue of standards. Same forms, selectors and services as the pages."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from incluye.api.errors import error_response, form_errors
from incluye.core.access import get_scoped_or_404
from incluye.skills import selectors, services
from incluye.skills.coding import suggest
from incluye.skills.forms import WorkExperienceForm
from incluye.skills.models import Occupation, System
from incluye.skills.profile import profile_document


class OccupationSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="O*NET-SOC code")
    soc = serializers.CharField(help_text="6-digit SOC 2018 code")
    isco = serializers.CharField(help_text="ISCO-08 unit group")
    title = serializers.CharField()


class WorkExperienceSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    person = serializers.UUIDField(source="person_id")
    job_title = serializers.CharField()
    employer = serializers.CharField()
    industry = serializers.CharField()
    city = serializers.CharField()
    region = serializers.CharField()
    country = serializers.CharField()
    started_on = serializers.DateField(allow_null=True)
    started_precision = serializers.CharField()
    ended_on = serializers.DateField(allow_null=True)
    ended_precision = serializers.CharField()
    years = serializers.FloatField(allow_null=True)
    tasks = serializers.CharField()
    tools = serializers.CharField()
    licences = serializers.ListField(child=serializers.CharField())
    english_level = serializers.CharField()
    occupation = OccupationSerializer(allow_null=True)
    coder_confidence = serializers.FloatField(allow_null=True)


class WorkExperienceRequest(serializers.Serializer):
    job_title = serializers.CharField(help_text="the job as the person says it")
    tasks = serializers.CharField(required=False, allow_blank=True)
    tools = serializers.CharField(required=False, allow_blank=True)
    employer = serializers.CharField(required=False, allow_blank=True)
    industry = serializers.CharField(required=False, allow_blank=True)
    city = serializers.CharField(required=False, allow_blank=True)
    region = serializers.CharField(required=False, allow_blank=True)
    country = serializers.CharField(required=False, help_text="US, MX, CA or OT")
    started_year = serializers.IntegerField(required=False, allow_null=True)
    started_month = serializers.IntegerField(required=False, allow_null=True)
    ended_year = serializers.IntegerField(required=False, allow_null=True)
    ended_month = serializers.IntegerField(required=False, allow_null=True)
    licences = serializers.ListField(child=serializers.CharField(), required=False)
    english_level = serializers.CharField(required=False)


def _work_form(request, experience=None) -> WorkExperienceForm:
    data = WorkExperienceRequest(data=request.data)
    data.is_valid(raise_exception=True)
    values = {k: v for k, v in data.validated_data.items() if v is not None}
    values.setdefault("country", "US")
    values.setdefault("english_level", "none")
    form = WorkExperienceForm(values)
    if not form.is_valid():
        raise form_errors(form)
    return form


class WorkHistoryView(APIView):
    """A person's jobs abroad; POST adds one (approximate dates: a year, or a month and year)."""

    required_permission = {"GET": "skills.view", "POST": "skills.record"}

    @extend_schema(responses=WorkExperienceSerializer(many=True))
    def get(self, request, pk):
        person = selectors.person_for_skills(membership=request.membership, pk=pk)
        return Response(WorkExperienceSerializer(selectors.work_history_of(person=person), many=True).data)

    @extend_schema(request=WorkExperienceRequest, responses={201: WorkExperienceSerializer})
    def post(self, request, pk):
        person = selectors.person_for_skills(membership=request.membership, pk=pk)
        form = _work_form(request)
        job = services.work_add(membership=request.membership, person=person, **form.experience_fields())
        return Response(WorkExperienceSerializer(job).data, status=status.HTTP_201_CREATED)


def _job(request, pk):
    return get_scoped_or_404(
        selectors.work_history_visible_to(membership=request.membership).select_related("occupation"), pk=pk
    )


class WorkExperienceView(APIView):
    required_permission = "skills.view"  # the job is looked up in scope first; the services check the role

    @extend_schema(responses=WorkExperienceSerializer)
    def get(self, request, pk):
        return Response(WorkExperienceSerializer(_job(request, pk)).data)

    @extend_schema(request=WorkExperienceRequest, responses=WorkExperienceSerializer)
    def put(self, request, pk):
        job = _job(request, pk)
        form = _work_form(request)
        job = services.work_update(membership=request.membership, experience=job, **form.experience_fields())
        return Response(WorkExperienceSerializer(job).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        services.work_remove(membership=request.membership, experience=_job(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CodeRequest(serializers.Serializer):
    occupation = serializers.CharField(help_text="O*NET-SOC code of the occupation, e.g. 47-2031.01")
    confidence = serializers.FloatField(required=False, allow_null=True, min_value=0, max_value=1)


class WorkCodeView(APIView):
    """The counsellor confirms the occupation of a job."""

    required_permission = "skills.view"  # the job is looked up in scope first; the service checks the role

    @extend_schema(request=CodeRequest, responses=WorkExperienceSerializer)
    def post(self, request, pk):
        job = _job(request, pk)
        data = CodeRequest(data=request.data)
        data.is_valid(raise_exception=True)
        occupation = Occupation.objects.filter(
            system=System.ONET, code=data.validated_data["occupation"]
        ).first()
        if occupation is None:
            raise serializers.ValidationError({"occupation": ["This is not an occupation of the taxonomy."]})
        job = services.work_code(
            membership=request.membership,
            experience=job,
            occupation=occupation,
            confidence=data.validated_data.get("confidence"),
        )
        return Response(WorkExperienceSerializer(job).data)


class CoderRequest(serializers.Serializer):
    text = serializers.CharField(max_length=2000, help_text="the job as the person says it, in any language")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=20, default=5)


class ReasonSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="title, task or tool")
    text = serializers.CharField(help_text="the title, task or tool of the occupation that matched")
    language = serializers.CharField(help_text="of that text: es, en, or empty when unknown")
    words = serializers.ListField(
        child=serializers.CharField(), help_text="the words of the request that matched it"
    )


class MatchSerializer(OccupationSerializer):
    confidence = serializers.FloatField(
        help_text="the probability that this occupation is right (calibrated)"
    )
    reasons = ReasonSerializer(many=True)
    explanations = serializers.ListField(
        child=serializers.CharField(), help_text="the reasons in the caller's language"
    )


class JobSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="the words of the request that name this job")
    matches = MatchSerializer(many=True)


class CoderResponse(serializers.Serializer):
    confident = serializers.BooleanField(help_text="false: no confident match; ask for more detail")
    matches = MatchSerializer(many=True)
    jobs = JobSerializer(many=True, help_text="when the text names several jobs, each of them")


class CoderView(APIView):
    """Free text → ranked occupations (O*NET-SOC, SOC, ISCO-08) with a confidence and the reasons."""

    required_permission = "skills.record"

    @extend_schema(request=CoderRequest, responses=CoderResponse)
    def post(self, request):
        data = CoderRequest(data=request.data)
        data.is_valid(raise_exception=True)
        found = suggest(data.validated_data["text"], limit=data.validated_data["limit"])
        return Response(
            CoderResponse(
                {"confident": bool(found.matches), "matches": found.matches, "jobs": found.jobs}
            ).data
        )


class ProfileSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    person = serializers.UUIDField(source="person_id")
    status = serializers.CharField()
    signed_at = serializers.DateTimeField(allow_null=True)
    document = serializers.SerializerMethodField()

    def get_document(self, profile) -> dict:
        return profile_document(profile)


class PersonProfilesView(APIView):
    """A person's skills profiles; POST starts a draft from the coded jobs (or returns the draft)."""

    required_permission = {"GET": "skills.view", "POST": "skills.record"}

    @extend_schema(responses=ProfileSerializer(many=True))
    def get(self, request, pk):
        person = selectors.person_for_skills(membership=request.membership, pk=pk)
        profiles = person.skills_profiles.select_related("organization", "signed_by")
        return Response(ProfileSerializer(profiles, many=True).data)

    @extend_schema(request=None, responses={201: ProfileSerializer})
    def post(self, request, pk):
        person = selectors.person_for_skills(membership=request.membership, pk=pk)
        profile = services.profile_start(membership=request.membership, person=person)
        return Response(ProfileSerializer(profile).data, status=status.HTTP_201_CREATED)


class ProfileView(APIView):
    required_permission = "skills.view"

    @extend_schema(responses=ProfileSerializer)
    def get(self, request, pk):
        return Response(
            ProfileSerializer(selectors.profile_for_page(membership=request.membership, pk=pk)).data
        )


class ProfileSignView(APIView):
    """Sign a draft profile (counsellors): it freezes as it is now."""

    required_permission = "skills.view"  # the profile is looked up in scope first; then the role

    @extend_schema(request=None, responses=ProfileSerializer)
    def post(self, request, pk):
        profile = selectors.profile_for_page(membership=request.membership, pk=pk)
        try:
            profile = services.profile_sign(membership=request.membership, profile=profile)
        except ValidationError as error:
            return error_response(error.messages[0], "not_signable")
        return Response(ProfileSerializer(profile).data)


class StandardSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    code = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    level = serializers.IntegerField(allow_null=True)
    isco = serializers.CharField()
    soc = serializers.ListField(child=serializers.CharField())
    migrant_route = serializers.BooleanField()


class StandardListView(APIView):
    """The catalogue of competency standards of the caller's country."""

    required_permission = "standards.view"

    @extend_schema(responses=StandardSerializer(many=True))
    def get(self, request):
        standards = selectors.standards_catalogue(
            country_id=request.membership.organization.country_id, query=request.query_params.get("q", "")
        )
        return Response(StandardSerializer(standards, many=True).data)
