"""The source text's "Impact in Numbers" is reproducible from records."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_seed_numbers_are_recomputed_by_the_engine_from_the_records(capsys):
    from incluye.impact.management.commands.seed_impact import check_seed
    from incluye.impact.seed import seed_impact

    expected = seed_impact(scale=0.001)  # 1 647 people directly, 3 000 indirectly
    assert expected["people_reached_direct"] == 1647 and expected["people_reached_indirect"] == 3000
    rows = check_seed(expected)
    assert all(want == got for _label, want, got in rows), rows
    assert {label: got for label, _w, got in rows}["alliance members, GT"] == 24


def test_the_command_reports_every_figure_ok(capsys):
    call_command("seed_impact", scale=0.0005, summary=True)
    out = capsys.readouterr().out
    assert "DIFFERENT" not in out and out.count(" ok") == 10
