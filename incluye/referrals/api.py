"""REST API of referrals: the organization's sent and received referrals, one referral, sending
one from a case, and the receiving side's steps. Same selectors (the snapshot is hidden from the
receiver once consent no longer stands) and services (same pipeline, same log) as the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from incluye.api.errors import error_response, form_errors
from incluye.cases.selectors import case_for_page
from incluye.core.pipeline import TransitionNotAllowed
from incluye.referrals import selectors, services
from incluye.referrals.forms import CompleteForm, DeclineForm, ReferralForm


class ReferralSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    status = serializers.CharField()
    version = serializers.IntegerField(
        help_text="send it back with a step: a step on an old copy answers 409"
    )
    side = serializers.CharField(help_text="sender or receiver: which side the caller's organization is")
    service = serializers.CharField(source="service.name")
    from_organization = serializers.CharField()
    to_organization = serializers.CharField()
    sent_at = serializers.DateTimeField()
    outcome_due_on = serializers.DateField()
    is_overdue = serializers.BooleanField()
    snapshot_hidden = serializers.BooleanField(
        help_text="True when the person's consent to share no longer stands"
    )
    given_names = serializers.CharField()
    surnames = serializers.CharField()
    phone = serializers.CharField()
    preferred_language = serializers.CharField()
    reason = serializers.CharField()
    decline_reason = serializers.CharField()
    outcome = serializers.CharField()


class ReferralListView(APIView):
    """`?tab=sent` (default) or `?tab=received`; overdue first."""

    required_permission = "referrals.view"

    @extend_schema(
        parameters=[OpenApiParameter("tab", str, enum=["sent", "received"])],
        responses=ReferralSerializer(many=True),
    )
    def get(self, request):
        page = selectors.referral_list(
            membership=request.membership,
            tab=request.query_params.get("tab", "sent"),
            page=request.query_params.get("page"),
        )
        return Response(ReferralSerializer(page.object_list, many=True).data)


class ReferralSendRequest(serializers.Serializer):
    case = serializers.UUIDField()
    service = serializers.IntegerField()
    shared_fields = serializers.ListField(child=serializers.CharField(), required=False)
    reason = serializers.CharField()


class ReferralSendView(APIView):
    """Refer the person of a case to a service of another organization (needs their consent)."""

    required_permission = "referrals.send"

    @extend_schema(request=ReferralSendRequest, responses={201: ReferralSerializer})
    def post(self, request):
        data = ReferralSendRequest(data=request.data)
        data.is_valid(raise_exception=True)
        case = case_for_page(membership=request.membership, pk=data.validated_data["case"])
        form = ReferralForm(
            {
                "service": data.validated_data["service"],
                "shared_fields": data.validated_data.get("shared_fields", []),
                "reason": data.validated_data["reason"],
            },
            services=selectors.services_to_refer_to(membership=request.membership),
            person=case.person,
        )
        if not form.is_valid():
            raise form_errors(form)
        try:
            referral = services.referral_send(membership=request.membership, case=case, **form.cleaned_data)
        except services.ReferralRefused as error:
            raise serializers.ValidationError({"non_field_errors": [error.message]}) from error
        referral = selectors.referral_for_page(membership=request.membership, pk=referral.pk)
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


class ReferralDetailView(APIView):
    @extend_schema(responses=ReferralSerializer)
    def get(self, request, pk):
        referral = selectors.referral_for_page(membership=request.membership, pk=pk)
        services.referral_viewed(membership=request.membership, referral=referral)
        return Response(ReferralSerializer(referral).data)


class ReferralStepRequest(serializers.Serializer):
    step = serializers.ChoiceField(choices=["accept", "decline", "complete", "cancel"])
    version = serializers.IntegerField(help_text="the version read: a step on an old copy answers 409")
    reason = serializers.CharField(required=False, help_text="why it is declined")
    outcome = serializers.CharField(required=False, help_text="the outcome, to complete it")


class ReferralStepView(APIView):
    """Accept, decline (with a reason) or complete (with an outcome) a received referral; cancel a
    sent one while unanswered."""

    @extend_schema(request=ReferralStepRequest, responses=ReferralSerializer)
    def post(self, request, pk):
        membership = request.membership
        referral = selectors.referral_for_page(membership=membership, pk=pk)
        data = ReferralStepRequest(data=request.data)
        data.is_valid(raise_exception=True)
        step, version = data.validated_data["step"], data.validated_data["version"]
        try:
            if step == "accept":
                services.referral_accept(membership=membership, referral=referral, expected_version=version)
            elif step == "decline":
                form = DeclineForm(request.data)
                if not form.is_valid():
                    raise form_errors(form)
                services.referral_decline(
                    membership=membership, referral=referral, expected_version=version, **form.cleaned_data
                )
            elif step == "complete":
                form = CompleteForm(request.data)
                if not form.is_valid():
                    raise form_errors(form)
                services.referral_complete(
                    membership=membership, referral=referral, expected_version=version, **form.cleaned_data
                )
            else:
                services.referral_cancel(membership=membership, referral=referral, expected_version=version)
        except TransitionNotAllowed as error:
            return error_response(error.message, "transition_not_allowed")
        referral = selectors.referral_for_page(membership=membership, pk=pk)
        return Response(ReferralSerializer(referral).data)
