"""A contest's exports of ideas: streamed, the file of before, bounded queries."""

import io

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from common.exports import csv_text
from contests import selectors, services
from contests.exports import HEADER
from tests.factories import IdeaFactory, UserFactory


def legacy_rows(contest):
    """The rows as the export built them before streaming (``get_status_display()`` per row)."""
    return [
        [
            row.idea.pk,
            row.idea.title,
            row.idea.author,
            ", ".join(str(u) for u in row.idea.co_authors.all()),
            row.idea.direction or "",
            row.idea.get_status_display(),
            timezone.localdate(row.idea.submitted_at) if row.idea.submitted_at else "",
            row.idea.support_count,
            row.idea.comment_count,
            row.score,
            row.rank,
            row.idea.problem,
            row.idea.proposal,
        ]
        for row in selectors.ranking(contest)
    ]


@pytest.fixture
def scored(in_evaluation, juror):
    first = IdeaFactory(contest=in_evaluation, title="=cmd|'/C calc'!A0", problem="Éclairage « trop » fort")
    first.co_authors.add(UserFactory(first_name="Zoé", last_name="Élan"), UserFactory())
    IdeaFactory(contest=in_evaluation, title="Sans note", status="shortlisted")
    services.scores_save(idea=first, juror=juror, scores=dict.fromkeys(in_evaluation.criteria.all(), (4, "")))
    return in_evaluation


def test_the_csv_export_of_ideas_streams_the_file_of_before(client, dgs, scored):
    client.force_login(dgs)
    response = client.get(reverse("contests:export_csv", args=[scored.slug]))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == f'attachment; filename="idees-{scored.slug}.csv"'
    expected = csv_text(HEADER, legacy_rows(scored))
    assert b"".join(response.streaming_content).decode("utf-8") == expected
    assert "'=cmd|" in expected and "Zoé Élan" in expected and "Présélectionnée" in expected


def test_the_xlsx_export_of_ideas_is_a_streamed_workbook(client, dgs, scored):
    client.force_login(dgs)
    response = client.get(reverse("contests:export_xlsx", args=[scored.slug]))
    assert isinstance(response, FileResponse)
    rows = list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert rows[0] == tuple(HEADER) and len(rows) == 3
    assert rows[1][1] == "'=cmd|'/C calc'!A0" and rows[1][5] == "Déposée" and rows[2][5] == "Présélectionnée"


@pytest.mark.parametrize("name", ["contests:export_csv", "contests:export_xlsx"])
def test_an_idea_export_makes_as_many_queries_for_60_ideas_as_for_3(
    client, dgs, in_evaluation, name, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def ideas(count: int) -> None:
        for _index in range(count):
            IdeaFactory(contest=in_evaluation).co_authors.add(UserFactory())

    ideas(3)
    client.force_login(dgs)
    url = reverse(name, args=[in_evaluation.slug])
    with CaptureQueriesContext(connection) as small:
        b"".join(client.get(url).streaming_content)
    ideas(57)
    with django_assert_max_num_queries(len(small.captured_queries)):
        b"".join(client.get(url).streaming_content)
