from django.urls import path

from incluye.people import views, views_duplicates, views_manifests

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("today/", views.today, name="today"),
    path("today/export/", views.today_export, name="today_export"),
    path("intake/", views.intake, name="intake"),
    path("intake/drafts/<uuid:pk>/discard/", views.draft_discard, name="draft_discard"),
    path("<uuid:pk>/", views.person_detail, name="detail"),
    path("<uuid:pk>/consents/", views.consent_add, name="consent_add"),
    path("<uuid:pk>/access/", views.access_report, name="access_report"),
    path("<uuid:pk>/export.json", views.person_export_json, name="export_json"),
    path("<uuid:pk>/export.pdf", views.person_export_pdf, name="export_pdf"),
    path("<uuid:pk>/erase/", views.person_erase, name="erase"),
    path("manifests/", views_manifests.manifest_list, name="manifests"),
    path("manifests/template.xlsx", views_manifests.manifest_template, name="manifest_template"),
    path("manifests/form.xlsx", views_manifests.manifest_xlsform, name="manifest_xlsform"),
    path("manifests/kobo/", views_manifests.kobo_sources, name="kobo_sources"),
    path("manifests/kobo/<int:pk>/", views_manifests.kobo_source_edit, name="kobo_source"),
    path("manifests/kobo/<int:pk>/delete/", views_manifests.kobo_source_delete, name="kobo_source_delete"),
    path("manifests/kobo/<int:pk>/pull/", views_manifests.kobo_pull, name="kobo_pull"),
    path("manifests/<uuid:pk>/", views_manifests.manifest_detail, name="manifest"),
    path("manifests/<uuid:pk>/progress/", views_manifests.manifest_progress, name="manifest_progress"),
    path("manifests/<uuid:pk>/mapping/", views_manifests.manifest_mapping, name="manifest_mapping"),
    path("manifests/<uuid:pk>/import/", views_manifests.manifest_import, name="manifest_import"),
    path("manifests/<uuid:pk>/discard/", views_manifests.manifest_discard, name="manifest_discard"),
    path("manifests/<uuid:pk>/errors.csv", views_manifests.manifest_errors, name="manifest_errors"),
    path("duplicates/", views_duplicates.queue, name="duplicates"),
    path("duplicates/<int:pk>/", views_duplicates.review, name="duplicate"),
    path("merges/<int:pk>/undo/", views_duplicates.unmerge, name="unmerge"),
]
