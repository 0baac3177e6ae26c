"""The national edition of a network: one campaign per member, counts kept for the network and the peer groups in
the transaction of each answer, a member's comparison page and CSV, the animateur's page, the nightly recount."""

from __future__ import annotations

import csv
import io
import logging
import threading

import pytest
from django.db import close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Network, Organisation, User
from accounts.roles import Role
from surveys.editions import NETWORK, edition_check, edition_repair, member_group
from surveys.models import Answer, Campaign, EditionTally, Invitation, NationalEdition, Response
from surveys.services import edition_add_member, edition_create, edition_open, respondent_erase, response_submit
from surveys.tasks import check_edition_tallies
from tests.factories import OrganisationFactory, UserFactory
from tests.surveys.builders import add_responses
from tests.surveys.builders import page_text as html_text
from tests.surveys.test_tallies import _answer_all, _waiting_for_a_lock

POPULATION = 5_000  # "de 3 500 à 19 999 habitants"


@pytest.fixture
def network(db) -> Network:
    return Network.objects.create(name="Réseau des communes innovantes", slug="communes-innovantes")


@pytest.fixture
def animateur(network) -> User:
    return UserFactory(username="animatrice", network=network, direction=None)


@pytest.fixture
def home(network, dgs) -> Organisation:
    """The DGS's collectivité, a member of the network."""
    organisation = OrganisationFactory()
    organisation.network, organisation.population, organisation.kind = network, POPULATION, Organisation.Kind.COMMUNE
    organisation.save()
    return organisation


def _members(network: Network, count: int, *, kind: str = Organisation.Kind.COMMUNE) -> list[Organisation]:
    """``count`` more members, with explicit keys (the factory's collectivité took key 1 without its sequence)."""
    start = (Organisation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    return Organisation.objects.bulk_create(
        Organisation(pk=start + i, name=f"{kind} {start + i:05d}", kind=kind, population=POPULATION, network=network)
        for i in range(count)
    )


@pytest.fixture
def edition(network, home, animateur, questionnaire) -> NationalEdition:
    edition = edition_create(
        network=network, questionnaire=questionnaire, title="Édition nationale 2026", slug="nationale-2026",
        created_by=animateur,
    )  # fmt: skip
    return edition


def page_text(response) -> str:  # noqa: ANN001
    """The page's text, entities decoded and non-breaking spaces (figures, thousands) read as spaces."""
    return " ".join(html_text(response).replace("\xa0", " ").replace("\u202f", " ").split(" "))


def _campaign(edition: NationalEdition, organisation: Organisation) -> Campaign:
    return Campaign.objects.get(edition=edition, organisation=organisation)


def _kept(edition: NationalEdition, group: str, kind: str, target: int = 0, value: int = 0) -> int:
    row = EditionTally.objects.filter(edition=edition, group=group, kind=kind, target=target, value=value).first()
    return row.count if row else 0


def _peer(organisation: Organisation) -> str:
    return f"pairs:{organisation.kind}:{organisation.size_band}"


# Campaigns of the members -----------------------------------------------------------------------------------------


def test_opening_gives_each_member_an_open_campaign_and_a_late_member_gets_its_own(
    client, dgs, network, home, edition, questionnaire
):
    Campaign.objects.create(  # the member already uses the edition's address for a campaign of its own
        questionnaire=questionnaire, title="Ancienne", slug="nationale-2026", created_by=dgs, organisation=home
    )
    others = _members(network, 2)
    assert edition_open(edition=edition) == 3
    campaigns = Campaign.objects.filter(edition=edition)
    assert sorted(c.organisation_id for c in campaigns) == sorted([home.pk, *(o.pk for o in others)])
    assert {c.status for c in campaigns} == {Campaign.Status.OPEN}
    assert _campaign(edition, home).slug == "nationale-2026-2"
    assert _campaign(edition, others[0]).slug == "nationale-2026"
    assert edition_open(edition=edition) == 0  # opened again: nobody gets a second campaign

    client.force_login(dgs)  # the member's DGS finds it among its campaigns, and only its own
    page = page_text(client.get(reverse("surveys:index")))
    assert "Édition nationale 2026" in page
    assert client.get(reverse("surveys:campaign", args=["nationale-2026-2"])).status_code == 200

    (late,) = _members(network, 1)
    assert [c.organisation_id for c in edition_add_member(organisation=late)] == [late.pk]
    assert edition_add_member(organisation=late) == []
    assert _campaign(edition, late).status == Campaign.Status.OPEN


# Kept counts ------------------------------------------------------------------------------------------------------


def test_every_write_of_an_answer_keeps_the_network_and_peer_counts_equal_to_a_recount(
    edition, network, home, structure
):
    (other,) = _members(network, 1)
    epci = _members(network, 1, kind=Organisation.Kind.EPCI)[0]
    edition_open(edition=edition)
    mine = _campaign(edition, home)
    invitation = Invitation.objects.create(campaign=mine, email="cadre@exemple.fr", token="jeton-" + "x" * 40)
    _answer_all(invitation, structure, {"D1": 3})  # page by page through the personal link
    assert _kept(edition, NETWORK, EditionTally.Kind.MEMBERS) == 1
    response_submit(invitation=invitation, structure=structure)
    add_responses(_campaign(edition, other), 3, {"B1": "societal"})
    add_responses(_campaign(edition, epci), 2, complete=False)
    assert edition_check(edition=edition) == []
    assert _kept(edition, NETWORK, EditionTally.Kind.PEOPLE) == 6
    assert _kept(edition, NETWORK, EditionTally.Kind.COMPLETE) == 4
    assert _kept(edition, NETWORK, EditionTally.Kind.MEMBERS) == 3
    assert _kept(edition, _peer(home), EditionTally.Kind.MEMBERS) == 2  # the EPCI is not a peer
    assert _kept(edition, _peer(epci), EditionTally.Kind.PEOPLE) == 2
    assert _kept(edition, member_group(home.pk), EditionTally.Kind.COMPLETE) == 1

    respondent_erase(invitation=invitation)  # the member's only respondent: it no longer counts as answering
    assert _kept(edition, NETWORK, EditionTally.Kind.MEMBERS) == 2
    assert _kept(edition, _peer(home), EditionTally.Kind.MEMBERS) == 1
    assert edition_check(edition=edition) == []


@pytest.mark.django_db(transaction=True)
def test_two_members_submitting_at_once_both_count(reference_data, edition, network, home, structure):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    (other,) = _members(network, 1)
    edition_open(edition=edition)
    first = Invitation.objects.create(campaign=_campaign(edition, home), email="a@exemple.fr", token="a" * 40)
    second = Invitation.objects.create(campaign=_campaign(edition, other), email="b@exemple.fr", token="b" * 40)
    for invitation in (first, second):
        _answer_all(invitation, structure, {"D1": 3})
    submitted, release, errors = threading.Event(), threading.Event(), []

    def submit(invitation: Invitation, hold: bool) -> None:
        try:
            with transaction.atomic():
                response_submit(invitation=invitation, structure=structure)
                if hold:  # the first member's submission keeps the network's rows until the second one waits
                    submitted.set()
                    assert release.wait(30)
        except Exception as error:  # noqa: BLE001 (reported by the test below)
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    holder = threading.Thread(target=submit, args=(first, True))
    holder.start()
    assert submitted.wait(30)
    waiter = threading.Thread(target=submit, args=(second, False))
    waiter.start()
    waited = False
    for _attempt in range(3000):
        waited = _waiting_for_a_lock()
        if waited or not waiter.is_alive():
            break
        threading.Event().wait(0.01)
    release.set()
    holder.join(30)
    waiter.join(30)
    assert errors == []
    assert waited, "the second member's submission should have waited for the first one's network rows"
    assert _kept(edition, NETWORK, EditionTally.Kind.COMPLETE) == 2
    assert _kept(edition, NETWORK, EditionTally.Kind.MEMBERS) == 2
    assert edition_check(edition=edition) == []


def test_the_nightly_check_logs_a_difference_and_repairs_it(edition, network, home, caplog):
    edition_open(edition=edition)
    add_responses(_campaign(edition, home), 7)
    EditionTally.objects.filter(edition=edition, group=NETWORK, kind=EditionTally.Kind.PEOPLE).update(count=3)
    with caplog.at_level(logging.ERROR, logger="surveys.editions"):
        assert check_edition_tallies() == 1
    assert "reseau people 0/0 : gardé 3, recompté 7" in caplog.text
    assert edition_check(edition=edition) == []
    assert _kept(edition, NETWORK, EditionTally.Kind.PEOPLE) == 7


# The member's comparison ------------------------------------------------------------------------------------------


def _comparison(client, campaign: Campaign) -> str:
    response = client.get(reverse("surveys:comparison", args=[campaign.slug]))
    assert response.status_code == 200
    return page_text(response)


@pytest.mark.parametrize(("peers", "shown"), [(1, False), (4, False), (5, True)])
def test_the_peers_are_shown_from_5_collectivites_and_their_absence_is_explained(
    client, dgs, edition, network, home, peers, shown
):
    others = _members(network, peers - 1)
    epcis = _members(network, 5, kind=Organisation.Kind.EPCI)
    edition_open(edition=edition)
    mine = _campaign(edition, home)
    add_responses(mine, 5, {"B1": "managerial"})
    for member in others:
        add_responses(_campaign(edition, member), 5, {"B1": "societal"})
    for member in epcis:
        add_responses(_campaign(edition, member), 5, {"B1": "managerial"})
    client.force_login(dgs)
    page = _comparison(client, mine)
    network_total = 5 * (peers + 5)
    assert f"{peers + 5} collectivités et {network_total} répondants au" in page
    assert "100,0 %" in page  # the member: all managerial
    network_share = f"{100 * 30 / network_total:.1f}".replace(".", ",")
    assert f"{network_share} %" in page
    assert "53 %" in page  # the 2018 national figure of B1
    if shown:
        assert "20,0 %" in page  # peers: 5 managerial of 25
        assert "masquée" not in page.split("Question par question")[0]
    else:
        assert f"{peers} collectivité(s) de même type et de même strate ont répondu, il en faut au moins 5" in page
        assert "20,0 %" not in page
    assert "nan" not in page.lower().split() and "inf" not in page.lower().split()


def test_with_no_answer_or_one_collectivite_the_page_says_why_nothing_is_shown(client, dgs, edition, network, home):
    edition_open(edition=edition)
    mine = _campaign(edition, home)
    client.force_login(dgs)
    page = _comparison(client, mine)
    assert "Moins de 5 répondants dans votre collectivité" in page
    assert "Résultats du réseau masqués : 0 collectivité(s) ont répondu" in page
    assert "NaN" not in page and "Infinity" not in page
    add_responses(mine, 6)
    page = _comparison(client, mine)
    assert "Résultats du réseau masqués : 1 collectivité(s) ont répondu" in page
    assert "100,0 %" in page  # the member's own B1 (managerial, the builders' default)


def test_the_results_csv_of_an_edition_campaign_appends_the_network_and_peer_percentages(
    client, dgs, edition, network, home, campaign
):
    others = _members(network, 4)
    edition_open(edition=edition)
    mine = _campaign(edition, home)
    add_responses(mine, 5, {"B1": "managerial"})
    for member in others:
        add_responses(_campaign(edition, member), 5, {"B1": "societal"})
    client.force_login(dgs)
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("surveys:results_csv", args=[mine.slug])).content.decode("utf-8-sig"))
        )
    )
    header = rows[0]
    assert header == ["question", "choice", "count", "percent", "national_percent", "base", "note",
                      "network_percent", "peer_percent"]  # fmt: skip
    b1 = {row[1]: row for row in rows if row[0] == "B1"}
    assert b1["managerial"][3:] == ["100.00", "53", "5", "", "20.00", "20.00"]
    assert b1["societal"][7:] == ["80.00", "80.00"]
    # A campaign outside any edition keeps its columns.
    add_responses(campaign, 5)
    plain = client.get(reverse("surveys:results_csv", args=[campaign.slug])).content.decode("utf-8-sig")
    assert plain.splitlines()[0] == "question,choice,count,percent,national_percent,base,note"
    assert client.get(reverse("surveys:comparison", args=[campaign.slug])).status_code == 404


def test_the_peers_hidden_in_the_csv_say_why(client, dgs, edition, network, home):
    others = _members(network, 2)
    epcis = _members(network, 3, kind=Organisation.Kind.EPCI)
    edition_open(edition=edition)
    mine = _campaign(edition, home)
    for member in [home, *others, *epcis]:
        add_responses(_campaign(edition, member), 5)
    client.force_login(dgs)
    content = client.get(reverse("surveys:results_csv", args=[mine.slug])).content.decode("utf-8-sig")
    b1 = next(row for row in csv.reader(io.StringIO(content)) if row[:2] == ["B1", "managerial"])
    assert b1[6] == "pairs masqués : moins de 5 collectivités"
    assert b1[7:] == ["100.00", ""]


# The animateur's page ---------------------------------------------------------------------------------------------


def test_the_animateur_sees_participation_and_network_figures_and_nobody_else_does(
    client, dgs, edition, network, home, animateur, make_user
):
    others = _members(network, 5)
    edition_open(edition=edition)
    add_responses(_campaign(edition, home), 3)
    add_responses(_campaign(edition, others[0]), 7, complete=False)
    for member in others[1:]:
        add_responses(_campaign(edition, member), 5)
    url = reverse("surveys:edition", args=[edition.slug])
    client.force_login(animateur)
    page = page_text(client.get(url))
    assert "6 collectivités membres ; 6 ont des réponses ; 30 répondants dont 23 réponses complètes" in page
    assert "Ville de Test-sur-Mer" in page
    assert "Résultats du réseau" in page and "B1." in page
    assert "Résultats du réseau masqués" not in page

    client.force_login(dgs)  # a member's DGS: not the network's page
    assert client.get(url).status_code == 404
    elsewhere = Network.objects.create(name="Autre réseau", slug="autre")
    client.force_login(UserFactory(username="autre-animateur", network=elsewhere, direction=None))
    assert client.get(url).status_code == 404
    client.force_login(make_user(Role.AGENT, username="agent-membre"))
    assert client.get(reverse("surveys:comparison", args=[_campaign(edition, home).slug])).status_code == 404


# Query counts and thousands of collectivités ----------------------------------------------------------------------


def _one_response_each(edition: NationalEdition, members: list[Organisation], structure) -> None:
    """One complete response of each member, its B1 answered, written in bulk then counted by a repair."""
    campaigns = Campaign.objects.filter(edition=edition, organisation__in=members)
    now = timezone.now()
    responses = Response.objects.bulk_create(
        Response(campaign=c, status=Response.Status.SUBMITTED, submitted_at=now, origin=Response.Origin.IMPORT)
        for c in campaigns
    )
    b1 = structure.questions["B1"]
    Answer.objects.bulk_create(
        Answer(response=r, question=b1, choice=b1.choice_list[i % 2]) for i, r in enumerate(responses)
    )
    edition_repair(edition=edition)


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), page_text(response)


def test_both_pages_read_as_many_queries_for_10_as_for_1000_collectivites(
    client, dgs, edition, network, home, animateur, structure
):
    first = _members(network, 9)
    edition_open(edition=edition)
    mine = _campaign(edition, home)
    add_responses(mine, 5)
    _one_response_each(edition, first, structure)
    compare, network_page = (
        reverse("surveys:comparison", args=[mine.slug]),
        reverse("surveys:edition", args=[edition.slug]),
    )
    client.force_login(dgs)
    small, page = _queries(client, compare)
    assert "10 collectivités et 14 répondants" in page
    client.force_login(animateur)
    small_network, _page = _queries(client, network_page)

    more = _members(network, 990)
    edition_open(edition=edition)
    _one_response_each(edition, more, structure)
    client.force_login(dgs)
    large, page = _queries(client, compare)
    assert "1 000 collectivités et 1 004 répondants" in page or "1000 collectivités et 1004 répondants" in page
    client.force_login(animateur)
    large_network, page = _queries(client, network_page)
    assert "Page 1 sur 20" in page
    assert (large, large_network) == (small, small_network)
    assert small <= 20 and small_network <= 20


def test_the_demonstration_edition_answers_for_the_members_given(client, dgs, network, home, animateur):
    from surveys.demo import seed_national_edition

    others = _members(network, 5)
    edition = seed_national_edition(network=network, members=[home, *others], created_by=animateur, respondents=5)
    again = seed_national_edition(network=network, members=[home, *others], created_by=animateur, respondents=5)
    assert again == edition and edition.is_open
    assert _kept(edition, NETWORK, EditionTally.Kind.PEOPLE) == 30
    assert _kept(edition, NETWORK, EditionTally.Kind.MEMBERS) == 6
    assert edition_check(edition=edition) == []
    client.force_login(dgs)
    page = _comparison(client, _campaign(edition, home))
    assert "6 collectivités et 30 répondants" in page
