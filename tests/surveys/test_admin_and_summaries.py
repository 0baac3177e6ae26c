"""The questionnaire stays editable in the administration; other apps read aggregated figures only."""

from surveys import summaries
from tests.surveys.builders import add_responses


def test_the_dgs_edits_a_question_and_its_national_figures_in_the_admin(client, dgs, structure):
    client.force_login(dgs)
    b1 = structure.questions["B1"]
    page = client.get(f"/admin/surveys/question/{b1.pk}/change/")
    assert page.status_code == 200
    assert "Innovation managériale ou organisationnelle" in page.content.decode()
    assert client.get("/admin/surveys/referencevalue/").status_code == 200


def test_answers_are_not_in_the_admin(client, dgs, db):
    client.force_login(dgs)
    assert client.get("/admin/surveys/answer/").status_code == 404
    assert client.get("/admin/surveys/invitation/").status_code == 404


def test_national_percentages_are_only_the_published_ones(questionnaire):
    assert summaries.national_percentages("B1") == {"managerial": 53.0, "societal": 47.0}
    assert summaries.national_percentages("C1") == {"administratif": 78.0, "politique": 60.0, "agents": 40.0}
    assert summaries.national_percentages("B2") == {}


def test_the_latest_campaign_and_its_summary(campaign, questionnaire):
    assert summaries.latest_campaign() == campaign
    add_responses(campaign, 5, {"B1": "societal"})
    summary = summaries.campaign_summary(campaign)
    assert summary.total == 5
    b1 = next(r for s in summary.sections for r in s.questions if r.question.code == "B1")
    assert [row.percent for row in b1.rows] == [0.0, 100.0]


def test_no_latest_campaign_while_all_are_in_preparation(campaign):
    campaign.status = "draft"
    campaign.save(update_fields=["status"])
    assert summaries.latest_campaign() is None
