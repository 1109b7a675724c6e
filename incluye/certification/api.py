"""REST API of the certification app: assessment sessions, enrolments, results, certificates, public
verification and the indicator of recognition routes. Same selectors and services as the pages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from incluye.api.errors import error_response
from incluye.certification import selectors, services
from incluye.certification.models import Attendance, Outcome, PublicFields
from incluye.certification.pdf import qr_payload
from incluye.certification.ratelimit import retry_after, verification_allowed
from incluye.core.access import get_scoped_or_404
from incluye.skills.models import CompetencyStandard


def _refused(error: ValidationError, code: str = "refused") -> Response:
    return error_response(error.messages[0], code)


class UnitResultSerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit.code")
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    evidence = serializers.CharField()
    assessed_on = serializers.DateField()
    assessor = serializers.CharField(source="assessor.get_full_name")


class EnrollmentSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    version = serializers.IntegerField(help_text="send it back with a change: an old copy answers 409")
    session = serializers.UUIDField(source="session_id")
    candidate = serializers.CharField(source="person.full_name")
    attendance = serializers.ChoiceField(choices=Attendance.choices)
    enrolled_at = serializers.DateTimeField()
    results = UnitResultSerializer(many=True, source="results.all")
    eligible = serializers.SerializerMethodField()
    achieved = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    certificate = serializers.SerializerMethodField()

    def _progress(self, enrollment):
        cache = self.context.setdefault("progress", {})
        if enrollment.pk not in cache:
            cache[enrollment.pk] = selectors.enrollment_progress(enrollment)
        return cache[enrollment.pk]

    def get_eligible(self, enrollment) -> bool:
        return self._progress(enrollment).eligible

    def get_achieved(self, enrollment) -> list[str]:
        return [u.code for u in self._progress(enrollment).achieved]

    def get_missing(self, enrollment) -> list[str]:
        """Required units still to achieve: the plan for the rest."""
        return [u.code for u in self._progress(enrollment).missing]

    def get_certificate(self, enrollment) -> str | None:
        certificate = getattr(enrollment, "certificate", None)
        return certificate.number if certificate else None


class SessionSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    standard = serializers.CharField(source="standard.code")
    standard_id = serializers.UUIDField()
    date = serializers.DateField()
    place = serializers.CharField()
    capacity = serializers.IntegerField()
    assessors = serializers.SerializerMethodField()
    enrolled = serializers.SerializerMethodField()

    def get_assessors(self, session) -> list[str]:
        return [u.get_full_name() or u.email for u in session.assessors.all()]

    def get_enrolled(self, session) -> int:
        return getattr(session, "enrolled", None) or session.enrollments.count()


class SessionDetailSerializer(SessionSerializer):
    enrollments = EnrollmentSerializer(many=True, source="enrollments.all")


class SessionRequest(serializers.Serializer):
    standard = serializers.UUIDField(help_text="id of one of the body's competency standards")
    date = serializers.DateField()
    place = serializers.CharField(max_length=200)
    capacity = serializers.IntegerField(min_value=1, max_value=500)


class SessionListView(APIView):
    """The certifying body's assessment sessions; POST schedules one (assessors and administrators)."""

    required_permission = {"GET": "assessments.view", "POST": "assessments.manage"}

    @extend_schema(responses=SessionSerializer(many=True))
    def get(self, request):
        return Response(
            SessionSerializer(selectors.sessions_list(membership=request.membership), many=True).data
        )

    @extend_schema(request=SessionRequest, responses={201: SessionSerializer})
    def post(self, request):
        if not selectors.works_for_a_body(request.membership):
            raise exceptions.PermissionDenied
        data = SessionRequest(data=request.data)
        data.is_valid(raise_exception=True)
        standard = CompetencyStandard.objects.filter(
            pk=data.validated_data["standard"], body=request.membership.organization
        ).first()
        if standard is None:
            raise serializers.ValidationError(
                {"standard": [_("The standard is not one of your institute's.")]}
            )
        try:
            session = services.session_create(
                membership=request.membership,
                standard=standard,
                date=data.validated_data["date"],
                place=data.validated_data["place"],
                capacity=data.validated_data["capacity"],
                assessors=[request.user],
            )
        except ValidationError as error:
            return _refused(error)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)


class SessionView(APIView):
    required_permission = None  # looked up in the body's scope first: another organization gets a 404

    @extend_schema(responses=SessionDetailSerializer)
    def get(self, request, pk):
        return Response(
            SessionDetailSerializer(selectors.session_for_page(membership=request.membership, pk=pk)).data
        )


class EnrollRequest(serializers.Serializer):
    profile = serializers.UUIDField(help_text="id of the person's signed skills profile")


class SessionEnrollView(APIView):
    """The person's organization enrols the person from a signed skills profile (with consent)."""

    required_permission = None  # the session is looked up first (upcoming, in the caller's country)

    @extend_schema(request=EnrollRequest, responses={201: EnrollmentSerializer})
    def post(self, request, pk):
        from incluye.skills.selectors import profiles_visible_to

        get_scoped_or_404(selectors.sessions_open_to_enrol(membership=request.membership), pk=pk)
        if not request.membership.can("candidates.enroll"):
            raise exceptions.PermissionDenied
        data = EnrollRequest(data=request.data)
        data.is_valid(raise_exception=True)
        profile = get_scoped_or_404(
            profiles_visible_to(membership=request.membership).select_related("person", "organization"),
            pk=data.validated_data["profile"],
        )
        session = next((s for s in selectors.sessions_open_for(profile=profile) if s.pk == pk), None)
        if session is None:
            raise serializers.ValidationError(
                {"profile": [_("The skills profile does not lead to this session's standard.")]}
            )
        try:
            enrollment = services.enrollment_create(
                membership=request.membership, session=session, profile=profile
            )
        except ValidationError as error:
            return _refused(error, "not_enrollable")
        return Response(EnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED)


class AttendanceRequest(serializers.Serializer):
    version = serializers.IntegerField(help_text="the version read: a change made on an old copy answers 409")
    attendance = serializers.ChoiceField(choices=Attendance.choices)


class EnrollmentView(APIView):
    required_permission = None  # looked up in the body's scope first; the service checks the role

    @extend_schema(responses=EnrollmentSerializer)
    def get(self, request, pk):
        return Response(
            EnrollmentSerializer(selectors.enrollment_for_page(membership=request.membership, pk=pk)).data
        )

    @extend_schema(request=AttendanceRequest, responses=EnrollmentSerializer)
    def patch(self, request, pk):
        enrollment = selectors.enrollment_for_page(membership=request.membership, pk=pk)
        data = AttendanceRequest(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            enrollment = services.enrollment_attendance(
                membership=request.membership,
                enrollment=enrollment,
                attendance=data.validated_data["attendance"],
                expected_version=data.validated_data["version"],
            )
        except ValidationError as error:
            return _refused(error)
        return Response(EnrollmentSerializer(enrollment).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        """The person's organization withdraws the candidate from a session that has not begun; the
        seat is free again (the action log keeps the enrolment). Anyone else gets 404."""
        enrollment = selectors.enrollment_to_withdraw(membership=request.membership, pk=pk)
        try:
            services.enrollment_withdraw(membership=request.membership, enrollment=enrollment)
        except ValidationError as error:
            return _refused(error, "session_begun")
        return Response(status=status.HTTP_204_NO_CONTENT)


class ResultRequest(serializers.Serializer):
    unit = serializers.CharField(max_length=20, help_text="code of the unit of competence, e.g. U1")
    outcome = serializers.ChoiceField(choices=[("", "not assessed"), *Outcome.choices], allow_blank=True)
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    assessed_on = serializers.DateField(required=False, allow_null=True)


class ResultsRequest(serializers.Serializer):
    version = serializers.IntegerField(help_text="the enrollment's version read: an old copy answers 409")
    results = ResultRequest(many=True)


class EnrollmentResultsView(APIView):
    """Record the results of a candidate, unit by unit (assessors of the body)."""

    required_permission = None  # looked up in the body's scope first; the service checks the role

    @extend_schema(request=ResultsRequest, responses=EnrollmentSerializer)
    def post(self, request, pk):
        enrollment = selectors.enrollment_for_page(membership=request.membership, pk=pk)
        data = ResultsRequest(data=request.data)
        data.is_valid(raise_exception=True)
        units = {u.code: u.pk for u in enrollment.session.standard.units.all()}
        results = {}
        for row in data.validated_data["results"]:
            if row["unit"] not in units:
                raise serializers.ValidationError(
                    {"results": [_("That unit is not part of the session's standard.")]}
                )
            results[units[row["unit"]]] = row
        try:
            services.results_record(
                membership=request.membership,
                enrollment=enrollment,
                results=results,
                expected_version=data.validated_data["version"],
            )
        except ValidationError as error:
            return _refused(error)
        return Response(EnrollmentSerializer(enrollment).data)


class CertificateSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    number = serializers.CharField()
    body = serializers.CharField(source="body.name")
    standard = serializers.CharField(source="standard.code")
    holder_name = serializers.CharField()
    units = serializers.JSONField()
    public_fields = serializers.ChoiceField(choices=PublicFields.choices)
    issued_at = serializers.DateTimeField()
    status = serializers.SerializerMethodField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    verification_url = serializers.SerializerMethodField()
    credential = serializers.CharField(
        help_text="the OpenBadgeCredential, a JWT as Open Badges 3.0 §8.2 asks (ES256, typ JWT, kid: the URL of the public JWK)"
    )

    def get_status(self, certificate) -> str:
        return "revoked" if certificate.revoked else "valid"

    def get_verification_url(self, certificate) -> str:
        return qr_payload(certificate)


class IssueRequest(serializers.Serializer):
    enrollment = serializers.UUIDField()
    public_fields = serializers.ChoiceField(choices=PublicFields.choices, default=PublicFields.INITIALS)


class CertificateListView(APIView):
    """Certificates the caller may see; POST issues one for an eligible enrolment."""

    required_permission = {"GET": None, "POST": "certificates.issue"}

    @extend_schema(responses=CertificateSerializer(many=True))
    def get(self, request):
        certificates = selectors.certificates_visible_to(membership=request.membership).select_related(
            "body", "standard"
        )
        return Response(CertificateSerializer(certificates[:500], many=True).data)

    @extend_schema(request=IssueRequest, responses={201: CertificateSerializer})
    def post(self, request):
        data = IssueRequest(data=request.data)
        data.is_valid(raise_exception=True)
        enrollment = selectors.enrollment_for_page(
            membership=request.membership, pk=data.validated_data["enrollment"]
        )
        try:
            certificate = services.certificate_issue(
                membership=request.membership,
                enrollment=enrollment,
                public_fields=data.validated_data["public_fields"],
            )
        except ValidationError as error:
            return _refused(error, "not_eligible")
        return Response(CertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)


class CertificateView(APIView):
    required_permission = None

    @extend_schema(responses=CertificateSerializer)
    def get(self, request, pk):
        return Response(
            CertificateSerializer(selectors.certificate_for_page(membership=request.membership, pk=pk)).data
        )


class RevokeRequest(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class CertificateRevokeView(APIView):
    required_permission = None  # looked up in scope first; the service checks the role

    @extend_schema(request=RevokeRequest, responses=CertificateSerializer)
    def post(self, request, pk):
        certificate = selectors.certificate_for_page(membership=request.membership, pk=pk)
        data = RevokeRequest(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            certificate = services.certificate_revoke(
                membership=request.membership, certificate=certificate, reason=data.validated_data["reason"]
            )
        except ValidationError as error:
            return _refused(error, "not_revocable")
        return Response(CertificateSerializer(certificate).data)


# --- Public verification ---------------------------------------------------------------------------


class VerificationSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[("valid", "valid"), ("revoked", "revoked"), ("unknown", "unknown")]
    )
    number = serializers.CharField(required=False)
    holder = serializers.CharField(required=False, help_text="initials or full name, as the person agreed")
    standard_code = serializers.CharField(required=False)
    standard = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    body = serializers.CharField(required=False)
    issued_on = serializers.DateField(required=False)
    revoked_on = serializers.DateField(required=False, allow_null=True)
    units = serializers.JSONField(required=False)


class _PublicVerification(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def check_rate(self, request):
        if not verification_allowed(request):
            raise exceptions.Throttled(
                wait=retry_after(), detail=_("Too many requests: wait a moment and try again.")
            )


class VerifyView(_PublicVerification):
    """Public (no sign-in): valid, revoked or unknown, for a certificate number and the verification
    code printed beside it (a number alone answers "unknown": numbers are sequential). Rate-limited."""

    @extend_schema(
        operation_id="verify_certificate_number",
        parameters=[
            OpenApiParameter("number", str, required=True, description="e.g. INTECAP-2026-000123"),
            OpenApiParameter(
                "code",
                str,
                required=True,
                description="the verification code printed beside it, e.g. K7QD-2MXA",
            ),
        ],
        responses=VerificationSerializer,
    )
    def get(self, request):
        self.check_rate(request)
        number, code = request.query_params.get("number", ""), request.query_params.get("code", "")
        missing = {
            name: [_("This field is required.")]
            for name, value in (("number", selectors.normalize_number(number)), ("code", code.strip()))
            if not value
        }
        if missing:
            raise serializers.ValidationError(missing)
        certificate = selectors.certificate_by_number(number, code)
        return Response(VerificationSerializer(selectors.verification(certificate)).data)


class VerifyTokenView(_PublicVerification):
    """Public (no sign-in): what the certificate's QR code points at. Rate-limited."""

    @extend_schema(operation_id="verify_certificate_token", responses=VerificationSerializer)
    def get(self, request, token):
        self.check_rate(request)
        return Response(
            VerificationSerializer(selectors.verification(selectors.certificate_by_token(token))).data
        )


class MigrantRouteSerializer(serializers.Serializer):
    country = serializers.CharField()
    name = serializers.CharField()
    standards = serializers.IntegerField(help_text="standards with a recognition route for returned migrants")


class MigrantRoutesView(APIView):
    """Indicator: certification programs for migrants institutionalized, per country."""

    required_permission = "standards.view"

    @extend_schema(responses=MigrantRouteSerializer(many=True))
    def get(self, request):
        return Response(MigrantRouteSerializer(selectors.migrant_routes_by_country(), many=True).data)
