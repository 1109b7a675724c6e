"""REST API of case management: cases, notes, tasks, documents, screenings.

Reads go through the same selectors as the pages (a psychosocial note's text is never serialized
for someone who may not read it), writes through the same services (same rules, same log)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from incluye.api.errors import error_response, form_errors
from incluye.cases import selectors, services
from incluye.cases.forms import DocumentForm, NoteForm, TaskForm
from incluye.cases.instruments import IncompleteAnswers, InvalidAnswer, UnknownInstrument
from incluye.cases.models import Case, CaseDocument, CaseStatus, ClosureReason, Sensitivity
from incluye.core.access import get_scoped_or_404
from incluye.core.pipeline import TransitionNotAllowed
from incluye.people.selectors import people_visible_to


class CaseListSerializer(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person_id")
    person_name = serializers.CharField(source="person.full_name")
    caseworker = serializers.CharField(source="caseworker.email", default=None)

    class Meta:
        model = Case
        fields = ["id", "person", "person_name", "status", "caseworker", "opened_at", "closed_at", "version"]


class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sensitivity = serializers.CharField()
    created_at = serializers.DateTimeField()
    author = serializers.CharField(allow_null=True)
    hidden = serializers.BooleanField(help_text="True: a psychosocial note this user may not read (no text).")
    text = serializers.CharField(allow_null=True)


def _note(note) -> dict:
    return {
        "id": note.pk,
        "sensitivity": note.sensitivity,
        "created_at": note.created_at,
        "author": str(note.author) if note.author else None,
        "hidden": note.hidden,
        "text": None if note.hidden else note.text,
    }


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    due_on = serializers.DateField()
    assigned_to = serializers.CharField(source="assigned_to.email")
    done_at = serializers.DateTimeField(allow_null=True)


class DocumentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")

    class Meta:
        model = CaseDocument
        fields = [
            "id",
            "code",
            "name",
            "status",
            "appointment_at",
            "appointment_place",
            "updated_at",
            "version",
        ]


class CaseDetailSerializer(CaseListSerializer):
    allowed_next = serializers.SerializerMethodField()
    closure_reason = serializers.CharField()
    documents = DocumentSerializer(many=True)

    class Meta(CaseListSerializer.Meta):
        fields = [*CaseListSerializer.Meta.fields, "allowed_next", "closure_reason", "documents"]

    def get_allowed_next(self, case) -> list[str]:
        from incluye.cases.models import CASE_PIPELINE

        return CASE_PIPELINE.allowed(case.status)


class CaseOpenRequest(serializers.Serializer):
    person = serializers.UUIDField()


class CaseListView(APIView):
    """The organization's open cases (`?mine=1`: mine only). POST opens a case for a person."""

    required_permission = {"GET": "cases.view", "POST": "cases.manage"}

    @extend_schema(responses=CaseListSerializer(many=True))
    def get(self, request):
        cases = selectors.caseload(
            membership=request.membership, mine=request.query_params.get("mine") == "1"
        )
        return Response(CaseListSerializer(cases, many=True).data)

    @extend_schema(request=CaseOpenRequest, responses={201: CaseDetailSerializer})
    def post(self, request):
        data = CaseOpenRequest(data=request.data)
        data.is_valid(raise_exception=True)
        person = get_scoped_or_404(
            people_visible_to(membership=request.membership), pk=data.validated_data["person"]
        )
        existing = selectors.open_case_of(membership=request.membership, person=person)
        if existing:
            return error_response(str(_("This person already has an open case here.")), "already_open", 409)
        case = services.case_open(membership=request.membership, person=person)
        return Response(CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseDetailView(APIView):
    @extend_schema(responses=CaseDetailSerializer)
    def get(self, request, pk):
        return Response(
            CaseDetailSerializer(selectors.case_for_page(membership=request.membership, pk=pk)).data
        )


class CaseChangeRequest(serializers.Serializer):
    action = serializers.ChoiceField(choices=["move", "close", "reopen"])
    version = serializers.IntegerField()
    to_status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    reason = serializers.ChoiceField(choices=ClosureReason.choices, required=False)
    outcome = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class CaseChangeView(APIView):
    """Move a case along the pathway, close it (with a reason) or reopen it. `version` is the
    version read: a change made on an old copy answers 409."""

    @extend_schema(request=CaseChangeRequest, responses={200: CaseDetailSerializer, 409: None})
    def post(self, request, pk):
        case = selectors.case_for_page(membership=request.membership, pk=pk)
        if not request.membership.can("cases.manage"):
            raise PermissionDenied
        data = CaseChangeRequest(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        try:
            if d["action"] == "move":
                if "to_status" not in d:
                    raise serializers.ValidationError({"to_status": [_("This field is required.")]})
                services.case_move(
                    membership=request.membership,
                    case=case,
                    to_status=d["to_status"],
                    expected_version=d["version"],
                    note=d.get("note", ""),
                )
            elif d["action"] == "close":
                if "reason" not in d:
                    raise serializers.ValidationError({"reason": [_("This field is required.")]})
                services.case_close(
                    membership=request.membership,
                    case=case,
                    reason=d["reason"],
                    outcome=d.get("outcome", ""),
                    expected_version=d["version"],
                )
            else:
                services.case_reopen(membership=request.membership, case=case, expected_version=d["version"])
        except TransitionNotAllowed as error:
            return error_response(error.message, "transition_not_allowed", 400)
        return Response(CaseDetailSerializer(case).data)


class NoteRequest(serializers.Serializer):
    sensitivity = serializers.ChoiceField(choices=Sensitivity.choices)
    text = serializers.CharField()


class TaskRequest(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()


class CaseNotesView(APIView):
    """Notes of a case. A psychosocial note comes with `hidden: true` and no text for anyone but
    the psychosocial professionals of the owning organization."""

    @extend_schema(responses=NoteSerializer(many=True))
    def get(self, request, pk):
        case = selectors.case_for_page(membership=request.membership, pk=pk)
        return Response([_note(n) for n in selectors.notes_for(membership=request.membership, case=case)])

    @extend_schema(request=NoteRequest, responses={201: NoteSerializer})
    def post(self, request, pk):
        case = selectors.case_for_page(membership=request.membership, pk=pk)
        if not request.membership.can("notes.write"):
            raise PermissionDenied
        form = NoteForm(request.data, membership=request.membership)
        if not form.is_valid():
            raise form_errors(form)
        note = services.note_add(membership=request.membership, case=case, **form.cleaned_data)
        note.hidden = False
        return Response(_note(note), status=status.HTTP_201_CREATED)


class CaseTasksView(APIView):
    @extend_schema(responses=TaskSerializer(many=True))
    def get(self, request, pk):
        case = selectors.case_for_page(membership=request.membership, pk=pk)
        return Response(
            TaskSerializer(selectors.tasks_of(membership=request.membership, case=case), many=True).data
        )

    @extend_schema(request=TaskRequest, responses={201: TaskSerializer})
    def post(self, request, pk):
        case = selectors.case_for_page(membership=request.membership, pk=pk)
        if not request.membership.can("notes.write"):
            raise PermissionDenied
        form = TaskForm(request.data)
        if not form.is_valid():
            raise form_errors(form)
        task = services.task_create(membership=request.membership, case=case, **form.cleaned_data)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)


class DocumentUpdateRequest(serializers.Serializer):
    version = serializers.IntegerField(help_text="the version read: a change made on an old copy answers 409")
    status = serializers.CharField()
    appointment_at = serializers.DateTimeField(required=False, allow_null=True)
    appointment_place = serializers.CharField(required=False, allow_blank=True)


class CaseDocumentView(APIView):
    """One item of a case's document checklist: PATCH moves its status (along its pipeline). Send
    the `version` read: a change made on an old copy answers 409 with what changed since."""

    @extend_schema(request=DocumentUpdateRequest, responses={200: DocumentSerializer, 409: None})
    def patch(self, request, pk):
        document = get_scoped_or_404(
            CaseDocument.objects.filter(case__in=selectors.cases_visible_to(membership=request.membership)),
            pk=pk,
        )
        if not request.membership.can("notes.write"):
            raise PermissionDenied
        data = {f"doc{document.pk}-{k}": v for k, v in request.data.items()}
        form = DocumentForm(data, document=document)
        if not form.is_valid():
            raise form_errors(form)
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.document_update(
                membership=request.membership,
                document=document,
                expected_version=form.cleaned_data["version"],
                **data,
            )
        except TransitionNotAllowed as error:
            return error_response(error.message, "transition_not_allowed", 400)
        return Response(DocumentSerializer(document).data)


class ScreeningRequest(serializers.Serializer):
    instrument = serializers.CharField(help_text="RHS-15, WHO-5, PHQ-9 or GAD-7")
    answers = serializers.DictField(child=serializers.IntegerField(), help_text='{"1": 2, "2": 0, …}')


class ScreeningSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    instrument = serializers.CharField()
    total = serializers.IntegerField()
    band = serializers.CharField()
    positive = serializers.BooleanField()
    urgent = serializers.BooleanField()
    suggested_level = serializers.CharField()
    created_at = serializers.DateTimeField()


class CaseScreeningsView(APIView):
    """Psychosocial screenings: only psychosocial professionals of the owning organization."""

    def _case(self, request, pk):
        case = selectors.case_for_page(membership=request.membership, pk=pk)
        if not request.membership.can("notes.psychosocial"):
            raise PermissionDenied
        return case

    @extend_schema(responses=ScreeningSerializer(many=True))
    def get(self, request, pk):
        case = self._case(request, pk)
        return Response(
            ScreeningSerializer(
                selectors.screenings_for(membership=request.membership, case=case), many=True
            ).data
        )

    @extend_schema(request=ScreeningRequest, responses={201: ScreeningSerializer})
    def post(self, request, pk):
        case = self._case(request, pk)
        data = ScreeningRequest(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            screening = services.screening_record(
                membership=request.membership,
                case=case,
                instrument_code=data.validated_data["instrument"],
                answers={str(k): v for k, v in data.validated_data["answers"].items()},
            )
        except UnknownInstrument as error:
            raise serializers.ValidationError({"instrument": [str(error)]}) from error
        except (IncompleteAnswers, InvalidAnswer) as error:
            raise serializers.ValidationError({"answers": [str(error)]}) from error
        except DjangoPermissionDenied as error:
            raise PermissionDenied from error
        return Response(ScreeningSerializer(screening).data, status=status.HTTP_201_CREATED)
