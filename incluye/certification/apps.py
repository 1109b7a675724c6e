from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "incluye.certification"
    label = "certification"
    verbose_name = _("Certification")

    def ready(self):
        from incluye.core.actionlog import register_actions
        from incluye.people.rights import register_erasure

        # Erasure keeps that a certificate was issued (indicators) but not the name in it or in
        # the signed credential; the evidence of each result goes too.
        register_erasure(
            {
                "certification.Certificate": ("holder_name", "credential"),
                "certification.Enrollment": (),
                "certification.UnitResult": ("evidence",),
            }
        )

        register_actions(
            {
                "incluye.signing_key.rotated": _("Rotated the signing key of a certifying body"),
                "incluye.assessment_session.created": _("Scheduled an assessment session"),
                "incluye.enrollment.created": _("Enrolled a candidate in an assessment session"),
                "incluye.enrollment.withdrawn": _("Withdrew a candidate from an assessment session"),
                "incluye.enrollment.attendance": _("Recorded the attendance of a candidate"),
                "incluye.results.recorded": _("Recorded assessment results"),
                "incluye.certificate.issued": _("Issued a certificate"),
                "incluye.certificate.revoked": _("Revoked a certificate"),
                "incluye.certificate.printed": _("Printed a certificate"),
                "incluye.certificate.credential_downloaded": _("Downloaded a verifiable credential"),
            }
        )
        from incluye.certification import inbox

        inbox.register()
