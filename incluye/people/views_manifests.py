"""Manifest import pages: upload and check, map columns and values, import or discard, the error
report, the template and our own XLSForm, and the KoboToolbox projects arrivals are pulled from."""

import datetime
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incluye.core.access import get_scoped_or_404, membership_required
from incluye.core.models import Division
from incluye.people import imports, selectors
from incluye.people.forms import ColumnMappingForm, KoboSourceForm, ManifestUploadForm, residence_choices
from incluye.people.imports import services as import_services
from incluye.people.imports.columns import IGNORE, META, column_key
from incluye.people.imports.fields import (
    ARRIVALS,
    DEPARTMENT,
    FOREIGN_ARRIVALS,
    MULTIPLE,
    MUNICIPALITY,
    NONE,
    kind_of,
)
from incluye.people.imports.report import accepted_values, template_workbook
from incluye.people.imports.xlsform import xlsform_workbook
from incluye.people.models import ManifestStatus, Population, Relationship, Sex, Vulnerability

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _manifest(request, pk):
    return get_scoped_or_404(selectors.manifests_for(membership=request.membership), pk=pk)


def _list_population(request) -> str:
    """The kind of list the page is about: the one posted, the one asked for (``?population=``), else
    the kind of the organization's last list (a border post uploads lists of people arriving)."""
    population = request.POST.get("population") or request.GET.get("population")
    if population in Population.values:
        return population
    last = selectors.manifests_for(membership=request.membership).values_list("population", flat=True).first()
    return last or Population.RETURNEE


@membership_required("manifests.import")
def manifest_list(request):
    organization = request.membership.organization
    population = _list_population(request)
    kind = kind_of(population)
    form = ManifestUploadForm(
        request.POST or None,
        request.FILES or None,
        organization=organization,
        arrivals=kind is FOREIGN_ARRIVALS,
        initial={"population": population},
    )
    if request.method == "POST" and form.is_valid():
        manifest = imports.manifest_upload(membership=request.membership, **form.cleaned_data)
        return redirect("people:manifest", pk=manifest.pk)
    return render(
        request,
        "people/manifests.html",
        {
            "form": form,
            "arrivals": kind is FOREIGN_ARRIVALS,
            "manifests": selectors.manifests_for(membership=request.membership)[:20],
            "accepted": accepted_values(kind, organization.country),
            "kobo_sources": selectors.kobo_sources_for(membership=request.membership),
        },
        status=400 if form.errors else 200,
    )


@membership_required("manifests.import")
def manifest_template(request):
    """An XLSX to fill in, with the accepted values of every field and the country's places: for a
    list of returnees, or (``?population=asylum_seeker``…) for a list of people arriving."""
    kind = kind_of(request.GET.get("population", ""))
    response = HttpResponse(
        template_workbook(kind, request.membership.organization.country), content_type=XLSX
    )
    name = "manifiesto-plantilla" if kind is ARRIVALS else "llegadas-plantilla"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@membership_required("manifests.import")
def manifest_xlsform(request):
    """Our own form (XLSForm) for KoboToolbox or ODK Collect, for the organization's country: of
    returnees, or (``?population=asylum_seeker``…) of people arriving in the country."""
    country = request.membership.organization.country
    kind = kind_of(request.GET.get("population", ""))
    response = HttpResponse(xlsform_workbook(kind, country), content_type=XLSX)
    name = "retornos" if kind is ARRIVALS else "llegadas"
    response["Content-Disposition"] = f'attachment; filename="incluye-{name}-{country.code.lower()}.xlsx"'
    return response


@membership_required("manifests.import")
def manifest_detail(request, pk):
    manifest = _manifest(request, pk)
    return render(request, "people/manifest_detail.html", {"manifest": manifest, **_detail(manifest)})


def _detail(manifest) -> dict:
    """What the page shows of the check, with the labels of the viewer's language."""
    report = manifest.columns_report or {}
    kind = kind_of(manifest.population)
    residences = dict(
        Division.objects.filter(
            pk__in=[p["residence"] for p in manifest.preview if p.get("residence")]
        ).values_list("pk", "name")
    )
    sexes, needs = dict(Sex.choices), dict(Vulnerability.choices)
    preview = [
        {
            **row,
            "sex_label": sexes.get(row.get("sex"), ""),
            "birth": _date(row.get("birth_date")),
            "arrived": _date(row.get("arrived_on")),
            "residence_name": residences.get(row.get("residence"), ""),
            "need_labels": [str(needs.get(n, n)) for n in row.get("needs", [])],
        }
        for row in manifest.preview
    ]
    tables = report.get("tables", [])
    unrecognised = [c for t in tables for c in t["columns"] if not c["target"] and c["filled"]]
    ignored = [c for t in tables for c in t["columns"] if c["target"] == IGNORE]
    empty = [c for t in tables for c in t["columns"] if not c["target"] and not c["filled"]]
    used = [c for t in tables for c in t["columns"] if c["target"] not in ("", IGNORE, META)]
    meta = [c for t in tables for c in t["columns"] if c["target"] == META]
    unknown_values = [
        {"field": str(kind.get(name).label), **entry}
        for name, entries in report.get("unknown_values", {}).items()
        for entry in entries.values()
    ]
    return {
        "preview": preview,
        "used_columns": used,
        "unrecognised": unrecognised,
        "ignored": ignored,
        "empty_columns": empty,
        "meta_columns": meta,
        "other_sheets": report.get("other_sheets", []),
        "unknown_values": unknown_values,
        "needs_confirmation": bool(unrecognised or report.get("other_sheets")),
        "review": manifest.review or {},
        "more_problems": [p for p in manifest.error_summary if p["count"] > p.get("kept", p["count"])],
    }


def _date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@membership_required("manifests.import")
def manifest_progress(request, pk):
    manifest = _manifest(request, pk)
    response = render(request, "people/_manifest_progress.html", {"manifest": manifest})
    if manifest.status not in (ManifestStatus.VALIDATING, ManifestStatus.IMPORTING, ManifestStatus.UPLOADED):
        response["HX-Refresh"] = "true"  # done: show the whole result
    return response


@membership_required("manifests.import")
def manifest_mapping(request, pk):
    manifest = _manifest(request, pk)
    if manifest.status not in (ManifestStatus.INVALID, ManifestStatus.READY):
        messages.error(request, _("Only a checked file that was not imported can be mapped."))
        return redirect("people:manifest", pk=manifest.pk)
    columns, values = _mapping_specs(manifest)
    initial = {"name": manifest.mapping.name if manifest.mapping else _suggested_name(manifest)}
    form = ColumnMappingForm(request.POST or None, columns=columns, values=values, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved_values = {}
        if manifest.mapping and manifest.mapping.name == form.cleaned_data["name"].strip():
            saved_values = {k: dict(v) for k, v in manifest.mapping.values.items()}
        for field, chosen in form.values().items():
            saved_values.setdefault(field, {}).update(chosen)
        imports.mapping_save(
            membership=request.membership,
            manifest=manifest,
            name=form.cleaned_data["name"],
            columns=form.columns(),
            values=saved_values,
            kobo_form=(manifest.columns_report or {}).get("form_version", ""),
        )
        imports.manifest_check(manifest=manifest)
        messages.success(request, _("The mapping was saved; the file was checked again."))
        return redirect("people:manifest", pk=manifest.pk)
    return render(
        request,
        "people/manifest_mapping.html",
        {"manifest": manifest, "form": form},
        status=400 if form.errors else 200,
    )


def _suggested_name(manifest) -> str:
    version = (manifest.columns_report or {}).get("form_version", "")
    return f"KoboToolbox {version}" if version else manifest.file_name[:120]


def _mapping_specs(manifest) -> tuple[list[dict], list[dict]]:
    report = manifest.columns_report or {}
    kind = kind_of(manifest.population)
    columns = []
    for table in report.get("tables", []):
        fields = kind.member_fields if table.get("members") else kind.fields
        options = []
        for field in fields:
            options.append((field.name, str(field.label)))
            if field.kind == MULTIPLE:
                options += [
                    (f"{field.name}:{o.code or 'none'}", f"{field.label}: {o.label}") for o in field.options
                ]
        for column in table["columns"]:
            if column["target"] == META:
                continue
            target = column["target"]
            if ":" in target and target.split(":", 1)[1] not in {o[0].split(":", 1)[-1] for o in options}:
                options = [*options, (target, column["label"] or target)]
            help_text = ""
            if not target and column["filled"]:
                help_text = _("Not recognised; %(count)d rows hold a value.") % {"count": column["filled"]}
            elif column["how"] == "duplicate":
                help_text = _("Another column already fills this field.")
            columns.append(
                {
                    "key": column_key(column["header"]),
                    "header": f"{table['name']}: {column['header']}"
                    if table.get("members")
                    else column["header"],
                    "options": options,
                    "initial": target,
                    "help": help_text,
                }
            )
    values = []
    for name, entries in report.get("unknown_values", {}).items():
        field = kind.get(name)
        if field.kind == MUNICIPALITY:
            options = [c for c in residence_choices(manifest.organization.country_id) if c[0] != ""]
        elif field.kind == DEPARTMENT:
            options = list(
                Division.objects.filter(country_id=manifest.organization.country_id, level=1).values_list(
                    "code", "name"
                )
            )
        else:
            options = [(o.code or "__none__", str(o.label)) for o in field.options]
            if field.kind == MULTIPLE and not any(o.code == NONE for o in field.options):
                options.append(("__none__", _("Nothing (drop this answer)")))
        for key, entry in entries.items():
            where = f" ({entry['department']})" if entry.get("department") else ""
            values.append(
                {
                    "key": key,
                    "field": name,
                    "label": f"{field.label}: {entry['value']}{where}",
                    "options": options,
                    "help": _("%(count)d rows, e.g. row %(row)s.")
                    % {"count": entry["count"], "row": entry["rows"][0] if entry["rows"] else "—"},
                }
            )
    return columns, values


@membership_required("manifests.import")
@require_POST
def manifest_import(request, pk):
    manifest = _manifest(request, pk)
    if manifest.status != ManifestStatus.READY:
        messages.error(
            request, _("Only a file without errors can be imported. Fix the rows and upload it again.")
        )
        return redirect("people:manifest", pk=manifest.pk)
    if _detail(manifest)["needs_confirmation"] and request.POST.get("confirm_unmapped") != "1":
        messages.error(
            request,
            _(
                "Some columns or sheets of the file hold data that would not be imported. Map them, or "
                "confirm that they may be left out."
            ),
        )
        return redirect("people:manifest", pk=manifest.pk)
    manifest = imports.manifest_start_import(membership=request.membership, manifest=manifest)
    if manifest.status == ManifestStatus.IMPORTED:
        messages.success(
            request,
            _("Imported: %(created)d new people, %(skipped)d rows were already imported.")
            % {"created": manifest.created_count, "skipped": manifest.skipped_count},
        )
    return redirect("people:manifest", pk=manifest.pk)


@membership_required("manifests.import")
@require_POST
def manifest_discard(request, pk):
    manifest = _manifest(request, pk)
    if manifest.status in (ManifestStatus.IMPORTING, ManifestStatus.IMPORTED, ManifestStatus.DISCARDED):
        messages.error(request, _("This manifest can no longer be discarded."))
        return redirect("people:manifest", pk=manifest.pk)
    imports.manifest_discard(membership=request.membership, manifest=manifest)
    messages.success(request, _("The manifest was discarded: nothing was imported and its file was deleted."))
    return redirect("people:manifests")


@membership_required("manifests.import")
def manifest_errors(request, pk):
    manifest = _manifest(request, pk)
    response = HttpResponse("\ufeff" + imports.error_report(manifest), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="errores-{manifest.pk}.csv"'
    return response


# -- KoboToolbox projects ------------------------------------------------------------------------
@membership_required("manifests.import")
def kobo_sources(request):
    membership = request.membership
    can_configure = membership.can("manifests.configure")
    form = None
    if can_configure:
        form = KoboSourceForm(request.POST or None, organization=membership.organization)
        if request.method == "POST" and form.is_valid():
            import_services.kobo_source_save(membership=membership, form=form)
            messages.success(request, _("The KoboToolbox project was saved."))
            return redirect("people:kobo_sources")
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "people/kobo_sources.html",
        {
            "form": form,
            "sources": selectors.kobo_sources_for(membership=membership),
            "pulls": selectors.manifests_for(membership=membership).filter(source="kobo")[:10],
        },
        status=400 if form is not None and form.errors else 200,
    )


def _source(request, pk, permission="manifests.import"):
    """A project of the organization (another's is a 404), then the permission (403)."""
    source = get_scoped_or_404(selectors.kobo_sources_for(membership=request.membership), pk=pk)
    if not request.membership.can(permission):
        raise PermissionDenied
    return source


@membership_required("manifests.import")
def kobo_source_edit(request, pk):
    source = _source(request, pk, "manifests.configure")
    form = KoboSourceForm(request.POST or None, instance=source, organization=request.membership.organization)
    save = partial(import_services.kobo_source_save, membership=request.membership)
    if request.method == "POST" and form.is_valid() and form.save_with(save, form=form):
        messages.success(request, _("The KoboToolbox project was saved."))
        return redirect("people:kobo_sources")
    return render(
        request,
        "people/kobo_source_edit.html",
        {"form": form, "source": source},
        status=400 if form.errors else 200,
    )


@membership_required("manifests.import")
@require_POST
def kobo_source_delete(request, pk):
    source = _source(request, pk, "manifests.configure")
    import_services.kobo_source_delete(membership=request.membership, source=source)
    messages.success(request, _("The KoboToolbox project was removed."))
    return redirect("people:kobo_sources")


@membership_required("manifests.import")
@require_POST
def kobo_pull(request, pk):
    source = _source(request, pk)
    import_services.kobo_pull_start(membership=request.membership, source=source)
    messages.success(
        request,
        _("The submissions are being pulled from KoboToolbox. The check appears below when it is done."),
    )
    return redirect("people:kobo_sources")


__all__ = ["Relationship"]
