from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from incluye.core.access import get_scoped_or_404
from incluye.core.identity import format_document_number
from incluye.core.models import Country, Division, IdDocumentType
from incluye.core.phones import clean_phone
from incluye.core.selectors import country_list, divisions_for


class IdDocumentTypeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = IdDocumentType
        fields = ["code", "name", "rule", "example", "is_national_id"]


class CountrySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    id_document_types = IdDocumentTypeSerializer(many=True, read_only=True)

    class Meta:
        model = Country
        fields = [
            "code",
            "name",
            "time_zone",
            "phone_region",
            "calling_code",
            "currency",
            "id_document_types",
        ]


class DivisionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = Division
        fields = ["code", "name", "level", "parent"]


class CountryListView(generics.ListAPIView):
    """The countries this deployment serves, with their identity document types."""

    serializer_class = CountrySerializer
    pagination_class = None

    def get_queryset(self):
        return country_list().prefetch_related("id_document_types")


class DivisionListView(generics.ListAPIView):
    """Divisions of a country; filter with ?level=1 or ?parent=<code>."""

    serializer_class = DivisionSerializer
    pagination_class = None

    def get_queryset(self):
        country = get_scoped_or_404(country_list(), code=self.kwargs["code"].upper())
        level = self.request.query_params.get("level")
        return divisions_for(
            country_code=country.code,
            level=int(level) if level and level.isdigit() else None,
            parent_code=self.request.query_params.get("parent"),
        )


class IdValidationRequest(serializers.Serializer):
    country = serializers.CharField(max_length=2)
    document_type = serializers.CharField(max_length=16)
    number = serializers.CharField(max_length=64)


class IdValidationResponse(serializers.Serializer):
    valid = serializers.BooleanField()
    number = serializers.CharField()
    formatted = serializers.CharField()


class IdValidationView(APIView):
    """Check an identity document number against its country's rule. A bad number answers 400
    with a message that says what is wrong."""

    @extend_schema(request=IdValidationRequest, responses=IdValidationResponse)
    def post(self, request):
        data = IdValidationRequest(data=request.data)
        data.is_valid(raise_exception=True)
        doc_type = (
            IdDocumentType.objects.select_related("country")
            .filter(
                country_id=data.validated_data["country"].upper(),
                code=data.validated_data["document_type"].upper(),
            )
            .first()
        )
        if doc_type is None:
            raise serializers.ValidationError(
                {"document_type": [_("Unknown document type for this country.")]}
            )
        try:
            number = doc_type.clean_number(data.validated_data["number"])
        except ValidationError as exc:
            raise serializers.ValidationError({"number": exc.messages}) from exc
        return Response(
            {"valid": True, "number": number, "formatted": format_document_number(doc_type.rule, number)}
        )


class PhoneValidationRequest(serializers.Serializer):
    country = serializers.CharField(max_length=2)
    phone = serializers.CharField(max_length=32)


class PhoneValidationView(APIView):
    """Check a phone number for a country; answers it in E.164."""

    @extend_schema(request=PhoneValidationRequest, responses={200: None})
    def post(self, request):
        data = PhoneValidationRequest(data=request.data)
        data.is_valid(raise_exception=True)
        country = get_scoped_or_404(country_list(), code=data.validated_data["country"].upper())
        try:
            e164 = clean_phone(data.validated_data["phone"], region=country.phone_region)
        except ValidationError as exc:
            raise serializers.ValidationError({"phone": exc.messages}) from exc
        return Response({"valid": True, "phone": e164})
