"""REST API of the indicators: definitions, and an indicator's table for the caller's scope
(a coordinator's country, suppressed; an administrator's own organization)."""

from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from incluye.api.errors import error_response, form_errors
from incluye.impact import indicators, registry, selectors
from incluye.impact.filters import DIMENSIONS
from incluye.impact.forms import IndicatorFilterForm


class DefinitionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.DictField(child=serializers.CharField())
    hxl = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.CharField()
    formula = serializers.CharField()
    disaggregations = serializers.ListField(child=serializers.CharField())


class IndicatorListView(APIView):
    required_permission = "indicators.view"

    @extend_schema(responses=DefinitionSerializer(many=True))
    def get(self, request):
        return Response(DefinitionSerializer(registry.definitions(), many=True).data)


class RowSerializer(serializers.Serializer):
    label = serializers.CharField()
    cells = serializers.ListField(child=serializers.CharField())
    total = serializers.CharField()


class TableSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    name = serializers.CharField()
    available = serializers.BooleanField()
    suppressed = serializers.BooleanField()
    threshold = serializers.IntegerField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = RowSerializer(many=True)
    column_totals = serializers.ListField(child=serializers.CharField())
    total = serializers.CharField(allow_null=True)


PARAMS = [
    OpenApiParameter("rows", str, enum=list(DIMENSIONS)),
    OpenApiParameter("cols", str, enum=list(DIMENSIONS)),
    OpenApiParameter("period", str, description="2026, 2026-03 or 2026-01/2026-06"),
    OpenApiParameter("department", int),
    OpenApiParameter("sex", str, enum=["F", "M", "X"]),
    OpenApiParameter("age_group", str),
    OpenApiParameter("organization", int),
]


class IndicatorValuesView(APIView):
    required_permission = "indicators.view"

    @extend_schema(parameters=PARAMS, responses=TableSerializer)
    def get(self, request, code):
        try:
            definition = registry.definition(code)
        except KeyError:
            return error_response("Unknown indicator.", "not_found", 404)
        scope = selectors.dashboard_scope(membership=request.membership)
        from incluye.accounts.models import Organization

        organizations = None
        if scope["organization"] is None:
            organizations = Organization.objects.filter(country_id=scope["country"])
        form = IndicatorFilterForm(
            request.query_params, country=scope["country"], organizations=organizations
        )
        if not form.is_valid():
            raise form_errors(form)
        rows_dim, cols_dim = (
            request.query_params.get("rows") or None,
            request.query_params.get("cols") or None,
        )
        allowed = set(definition["disaggregations"])
        if (
            any(d and d not in allowed for d in (rows_dim, cols_dim))
            or (cols_dim and not rows_dim)
            or (rows_dim and rows_dim == cols_dim)
        ):
            raise serializers.ValidationError({"rows": ["This breakdown is not offered for this indicator."]})
        flt = form.indicator_filter(organization=scope["organization"])
        table = indicators.table(code, flt, rows_dim, cols_dim, suppress=scope["suppress"])
        col_totals, grand = table.totals_row() if table.available else ([], None)
        return Response(
            TableSerializer(
                {
                    "indicator": code,
                    "name": indicators.name(definition, translation.get_language()[:2]),
                    "available": table.available,
                    "suppressed": table.suppressed,
                    "threshold": table.threshold,
                    "columns": [str(c) for c in table.col_labels],
                    "rows": [
                        {"label": str(label), "cells": [str(c) for c in cells], "total": str(total)}
                        for label, cells, total in (table.grid() if table.available else [])
                    ],
                    "column_totals": [str(c) for c in col_totals],
                    "total": None if grand is None else str(grand),
                }
            ).data
        )
