from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incluye.core.access import get_scoped_or_404, membership_required
from incluye.people import imports
from incluye.people.forms import ColumnMappingForm, ManifestUploadForm
from incluye.people.models import ManifestImport, ManifestStatus


def manifests_of(membership):
    return ManifestImport.objects.filter(organization_id=membership.organization_id).select_related(
        "organization__country", "mapping", "uploaded_by"
    )


def _manifest(request, pk):
    manifest = get_scoped_or_404(manifests_of(request.membership), pk=pk)
    if not request.membership.can("manifests.import"):
        raise PermissionDenied
    return manifest


@membership_required("manifests.import")
def manifest_list(request):
    form = ManifestUploadForm(
        request.POST or None, request.FILES or None, organization=request.membership.organization
    )
    if request.method == "POST" and form.is_valid():
        manifest = imports.manifest_upload(membership=request.membership, **form.cleaned_data)
        return redirect("people:manifest", pk=manifest.pk)
    return render(
        request,
        "people/manifests.html",
        {"form": form, "manifests": manifests_of(request.membership)[:20]},
        status=400 if form.errors else 200,
    )


@membership_required("manifests.import")
def manifest_template(request):
    """An empty CSV with the recognized column names, to fill in."""
    columns = [aliases[0] for _label, aliases in imports.FIELDS.values()]
    response = HttpResponse("\ufeff" + ",".join(columns) + "\r\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="manifiesto-plantilla.csv"'
    return response


@membership_required()
def manifest_detail(request, pk):
    manifest = _manifest(request, pk)
    return render(request, "people/manifest_detail.html", {"manifest": manifest})


@membership_required()
def manifest_progress(request, pk):
    manifest = _manifest(request, pk)
    response = render(request, "people/_manifest_progress.html", {"manifest": manifest})
    if manifest.status not in (ManifestStatus.VALIDATING, ManifestStatus.IMPORTING, ManifestStatus.UPLOADED):
        response["HX-Refresh"] = "true"  # done: show the whole result
    return response


@membership_required()
def manifest_mapping(request, pk):
    manifest = _manifest(request, pk)
    manifest.file.open("rb")
    content = manifest.file.read()
    manifest.file.close()
    try:
        table = imports.read_table(manifest.file_name, content)
    except imports.ManifestFileError as error:
        messages.error(request, str(error))
        return redirect("people:manifest", pk=manifest.pk)
    fields = [(name, str(label)) for name, (label, _aliases) in imports.FIELDS.items()]
    current = imports.resolve_columns(table.columns, manifest.mapping.columns if manifest.mapping else None)
    initial = {f"col_{name}": table.columns[i] for name, i in current.items() if not name.startswith("_")}
    form = ColumnMappingForm(request.POST or None, columns=table.columns, fields=fields, initial=initial)
    if request.method == "POST" and form.is_valid():
        imports.mapping_save(
            membership=request.membership,
            manifest=manifest,
            name=form.cleaned_data["name"],
            columns=form.columns(),
        )
        imports.manifest_check(manifest=manifest)
        messages.success(request, _("The mapping was saved; the file was checked again."))
        return redirect("people:manifest", pk=manifest.pk)
    return render(request, "people/manifest_mapping.html", {"manifest": manifest, "form": form})


@membership_required()
@require_POST
def manifest_import(request, pk):
    manifest = _manifest(request, pk)
    if manifest.status != ManifestStatus.READY:
        messages.error(
            request, _("Only a file without errors can be imported. Fix the rows and upload it again.")
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


@membership_required()
def manifest_errors(request, pk):
    manifest = _manifest(request, pk)
    response = HttpResponse("\ufeff" + imports.error_report(manifest), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="errores-{manifest.pk}.csv"'
    return response
