"""/journal/: the DGS reads, filters and exports the journal; nobody changes or deletes an entry."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone

from audit.models import AppendOnlyError, AuditEntry

Action = AuditEntry.Action


def entry(actor=None, *, day: datetime.date | None = None, label: str = "Guichet unique", object_id: int = 1, **kw):
    """An entry as the services write it (``day``: one written at 10:00 that day)."""
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))) if day else timezone.now()
    return AuditEntry.objects.create(
        at=at,
        actor=actor,
        actor_label=str(actor) if actor else "",
        action=kw.pop("action", Action.PROJECT_CREATED),
        object_type="portfolio.project",
        object_id=str(object_id),
        object_label=label,
        **kw,
    )


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.mark.parametrize("name", ["audit:journal", "audit:journal_csv"])
def test_only_the_dgs_reads_the_journal(client, dgs, lead, agent, copil, name):
    entry(dgs)
    for person in (lead, agent, copil):
        client.force_login(person)
        assert client.get(reverse(name)).status_code == 404
    client.force_login(dgs)
    assert client.get(reverse(name)).status_code == 200


def test_the_journal_is_in_the_navigation_of_the_dgs_only(client, dgs, agent):
    client.force_login(dgs)
    assert 'href="/journal/"' in client.get("/").content.decode()
    client.force_login(agent)
    assert 'href="/journal/"' not in client.get("/").content.decode()


def test_an_empty_journal_says_so(client, dgs):
    client.force_login(dgs)
    page = client.get(reverse("audit:journal")).content.decode()
    assert "Le journal est vide" in page


def test_the_journal_filters_by_object_person_and_dates(client, dgs, lead):
    today = timezone.localdate()
    entry(lead, label="Guichet unique", object_id=1, day=today - datetime.timedelta(days=10))
    entry(dgs, label="Forêt urbaine", object_id=2, action=Action.PROJECT_CHANGED)
    client.force_login(dgs)
    url = reverse("audit:journal")

    def rows(**params: object) -> list[str]:
        page = client.get(url, params).context["page"]
        return [e.object_label for e in page]

    assert rows() == ["Forêt urbaine", "Guichet unique"]
    assert rows(tri="ancien") == ["Guichet unique", "Forêt urbaine"]
    assert rows(type="portfolio.project", objet="1") == ["Guichet unique"]
    assert rows(personne=lead.pk) == ["Guichet unique"]
    assert rows(du=(today - datetime.timedelta(days=1)).isoformat()) == ["Forêt urbaine"]
    assert rows(au=(today - datetime.timedelta(days=1)).isoformat()) == ["Guichet unique"]
    assert rows(nom="forêt") == ["Forêt urbaine"]
    page = client.get(url, {"du": "pas une date"}).content.decode()
    assert "Certains filtres sont invalides" in page and "Forêt urbaine" in page
    assert "Aucune entrée ne correspond à ces filtres." in client.get(url, {"nom": "zzz"}).content.decode()


def test_the_export_is_a_streamed_csv_with_the_same_filters(client, dgs, lead):
    entry(lead, label="Guichet unique", changes=[{"field": "title", "old": "Guichet", "new": "Guichet unique"}])
    entry(dgs, label='=HYPERLIEN("x")', object_id=2)
    client.force_login(dgs)
    response = client.get(reverse("audit:journal_csv"), {"personne": lead.pk})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    lines = body(response).splitlines()
    assert lines[0].startswith("Date;Personne;Action;Type d'objet;N° de l'objet;Objet")
    assert len(lines) == 2
    assert f"{lead};Projet créé;Projet;1;Guichet unique;;Titre;Titre : Guichet → Guichet unique" in lines[1]
    everything = body(client.get(reverse("audit:journal_csv")))
    assert "'=HYPERLIEN" in everything  # a formula stays text in a spreadsheet


def _many(count: int, actors: list) -> None:
    now = timezone.now()
    AuditEntry.objects.bulk_create(
        AuditEntry(
            at=now - datetime.timedelta(minutes=i),
            actor=actors[i % len(actors)],
            actor_label=str(actors[i % len(actors)]),
            action=Action.PROJECT_CHANGED,
            object_type="portfolio.project",
            object_id=str(i),
            object_label=f"Projet {i}",
            changes=[{"field": "title", "old": "a", "new": "b"}],
        )
        for i in range(count)
    )


@pytest.mark.parametrize("count", [10, 10_000])
def test_the_journal_page_reads_a_bounded_number_of_queries(client, dgs, lead, count, django_assert_max_num_queries):
    _many(count, [dgs, lead])
    client.force_login(dgs)
    client.get(reverse("audit:journal"))  # the session and the permissions, read once
    with django_assert_max_num_queries(10):  # session, person, permissions, header, count, rows, people
        page = client.get(reverse("audit:journal"), {"page": "2"}).content.decode()
    assert f"{count} entrées" in page
    with django_assert_max_num_queries(6):
        response = client.get(reverse("audit:journal_csv"))
        assert len(body(response).splitlines()) == count + 1


def test_an_entry_is_never_changed_nor_deleted(dgs):
    saved = entry(dgs)
    saved.object_label = "Autre chose"
    with pytest.raises(AppendOnlyError):
        saved.save()
    with pytest.raises(AppendOnlyError):
        saved.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=saved.pk).update(object_label="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().object_label == "Guichet unique"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_to_change_or_delete_an_entry_whoever_asks(dgs):
    entry(dgs)
    for sql in ("UPDATE audit_auditentry SET object_label = 'x'", "DELETE FROM audit_auditentry"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.get().object_label == "Guichet unique"


def test_the_administration_shows_the_journal_read_only(client, make_user):
    admin = make_user(username="root", is_staff=True, is_superuser=True)
    saved = entry(admin)
    client.force_login(admin)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_delete", args=[saved.pk]), {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=saved.pk).exists()
