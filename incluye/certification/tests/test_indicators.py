"""The impact indicators of certification: people assessed and valid certificates."""

import pytest

from incluye.certification import services
from incluye.impact import indicators
from incluye.impact.filters import IndicatorFilter

pytestmark = pytest.mark.django_db


def test_assessments_and_certificates_are_counted_and_a_revoked_certificate_no_longer_counts(
    certificate, assessor
):
    gt = IndicatorFilter(country="GT")
    assert indicators.total("assessments", gt)[0] == 1
    assert indicators.total("certificates", gt)[0] == 1
    assert indicators.compute("certificates", gt, ("organization",)) == {(certificate.body_id,): (1, 1)}
    services.certificate_revoke(membership=assessor, certificate=certificate, reason="Error de emisión")
    assert indicators.total("certificates", gt)[0] == 0
    assert indicators.total("assessments", gt)[0] == 1
