from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from incluye.accounts.models import Membership, Organization
from incluye.accounts.selectors import memberships_of, organizations_visible_to
from incluye.core.access import get_scoped_or_404


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "short_name", "country", "sector", "kind"]


class MembershipSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organization", "role", "read_only"]


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    name = serializers.CharField()
    active_membership = MembershipSerializer()
    memberships = MembershipSerializer(many=True)


class MeView(APIView):
    """Who is calling, and as which organization and role."""

    serializer_class = MeSerializer

    def get(self, request):
        return Response(
            MeSerializer(
                {
                    "email": request.user.email,
                    "name": str(request.user),
                    "active_membership": request.membership,
                    "memberships": memberships_of(user=request.user),
                }
            ).data
        )


class OrganizationDetailView(generics.RetrieveAPIView):
    serializer_class = OrganizationSerializer

    def get_object(self):
        return get_scoped_or_404(
            organizations_visible_to(membership=self.request.membership), pk=self.kwargs["pk"]
        )
