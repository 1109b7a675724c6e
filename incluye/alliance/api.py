"""REST API of the alliance: the network at a glance (members by sector, referral matrix)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from incluye.alliance import selectors


class SectorSerializer(serializers.Serializer):
    sector = serializers.CharField()
    label = serializers.CharField()
    members = serializers.IntegerField()


class MatrixSerializer(serializers.Serializer):
    organizations = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))
    total = serializers.IntegerField()


class NetworkSerializer(serializers.Serializer):
    council = serializers.CharField(allow_null=True)
    sectors = SectorSerializer(many=True)
    referrals = MatrixSerializer()


class NetworkView(APIView):
    """The country's alliance: members by sector and the referrals between organizations."""

    required_permission = "alliance.view"

    @extend_schema(responses=NetworkSerializer)
    def get(self, request):
        membership = request.membership
        council = selectors.council_of(membership=membership)
        return Response(
            NetworkSerializer(
                {
                    "council": str(council) if council else None,
                    "sectors": [
                        {"sector": v, "label": str(label), "members": n}
                        for v, label, n in selectors.sector_summary(membership=membership)
                    ],
                    "referrals": selectors.referral_matrix(country=membership.organization.country_id),
                }
            ).data
        )
