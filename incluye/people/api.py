from rest_framework import generics, serializers

from incluye.people import selectors, services
from incluye.people.models import IdentityDocument, Person


class IdentityDocumentSerializer(serializers.ModelSerializer):
    document_type = serializers.CharField(source="document_type.code")

    class Meta:
        model = IdentityDocument
        fields = ["document_type", "number"]


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

    class Meta(PersonListSerializer.Meta):
        fields = [
            *PersonListSerializer.Meta.fields,
            "birth_date",
            "birth_date_precision",
            "nationality",
            "residence",
            "phone",
            "household_size",
            "documents",
        ]


class PersonListView(generics.ListAPIView):
    """People registered by the caller's organization. `?q=` filters by name part or id number."""

    serializer_class = PersonListSerializer
    required_permission = "people.view"

    def get_queryset(self):
        return selectors.people_list(
            membership=self.request.membership, query=self.request.query_params.get("q", "")
        )


class PersonDetailView(generics.RetrieveAPIView):
    """One person; the read is written to the action log."""

    serializer_class = PersonDetailSerializer

    def get_object(self):
        person = selectors.person_for_page(membership=self.request.membership, pk=self.kwargs["pk"])
        services.person_viewed(membership=self.request.membership, person=person)
        return person
