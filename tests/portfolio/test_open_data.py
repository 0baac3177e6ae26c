"""Open data: the projects the DGS publishes, as CSV and JSON valid against the schema kept in the repository,
without personal data, anonymous access, the restricted ones never."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Organisation
from portfolio import opendata
from portfolio.models import InnovationObject, Project
from tests.factories import DirectionFactory, ProjectFactory, UserFactory

TYPES = {
    "integer": lambda v: isinstance(v, int) or re.fullmatch(r"-?\d+", str(v)),
    "number": lambda v: isinstance(v, (int, float)) or re.fullmatch(r"-?\d+(\.\d+)?", str(v)),
    "string": lambda v: isinstance(v, str),
    "date": lambda v: bool(datetime.date.fromisoformat(v)),
    "datetime": lambda v: re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", v),
}


def violations(record: dict, *, from_csv: bool) -> list[str]:
    """What, in one record, the schema's types and constraints refuse (a Table Schema validator for our types)."""
    found = []
    fields = opendata.schema()["fields"]
    if list(record) != [f["name"] for f in fields]:
        return [f"columns {list(record)}"]
    for field in fields:
        value = record[field["name"]]
        if isinstance(value, list):
            value = ";".join(value)
        constraints = field.get("constraints", {})
        if value in (None, ""):
            if constraints.get("required"):
                found.append(f"{field['name']} missing")
            continue
        if not TYPES[field["type"]](value):
            found.append(f"{field['name']}: {value!r} is not {field['type']}")
        if "enum" in constraints and value not in constraints["enum"]:
            found.append(f"{field['name']}: {value!r} not allowed")
        if "pattern" in constraints and not re.fullmatch(constraints["pattern"], str(value)):
            found.append(f"{field['name']}: {value!r} does not match")
        if "maxLength" in constraints and len(value) > constraints["maxLength"]:
            found.append(f"{field['name']} too long")
        if "minimum" in constraints and float(value) < constraints["minimum"]:
            found.append(f"{field['name']} below minimum")
    return found


@pytest.fixture
def published(db):
    Organisation.objects.update_or_create(pk=1, defaults={"name": "Ville de Bellerive", "kind": "commune"})
    lead = UserFactory(first_name="Margaux", last_name="Personne", email="margaux@bellerive.example")
    project = ProjectFactory(
        title='Guichet "unique", des associations',
        summary="Un seul dossier ;\nune seule fois.",
        lead=lead,
        open_data=True,
        start_date=datetime.date(2025, 3, 1),
        estimated_cost=Decimal("12500.50"),
        perimeter="territory",
        observed_results="=SOMME(A1)",  # a value, not a formula: CSV keeps it as written
        directions=[DirectionFactory(name="Vie associative")],
    )
    project.objects_of_innovation.set(InnovationObject.objects.filter(code__in=["ntic", "services"]))
    ProjectFactory(title="Pas publié", lead=lead)
    return project


def test_the_csv_and_the_json_are_valid_against_the_schema_and_carry_no_personal_data(client, published):
    response = client.get("/donnees-ouvertes/projets.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["titre"] for row in rows] == ['Guichet "unique", des associations']
    assert all(violations(row, from_csv=True) == [] for row in rows)
    assert rows[0]["objets"] == "services;ntic"
    assert rows[0]["cout_estime_euros"] == "12500.5"
    assert rows[0]["resume"] == "Un seul dossier ;\nune seule fois."

    document = json.loads(b"".join(client.get("/donnees-ouvertes/projets.json").streaming_content))
    assert document["licence"]["name"] == "etalab-2.0"
    assert document["producteur"] == "Ville de Bellerive"
    assert document["schema"].endswith("/donnees-ouvertes/schema.json")
    assert [violations(record, from_csv=False) for record in document["projets"]] == [[]]
    assert document["projets"][0]["directions"] == ["Vie associative"]
    for personal in ("Margaux", "Personne", "margaux@"):
        assert personal not in text and personal not in json.dumps(document)


def test_nothing_published_gives_a_header_and_an_empty_list(client, db):
    text = b"".join(client.get("/donnees-ouvertes/projets.csv").streaming_content).decode()
    assert text == ",".join(opendata.field_names()) + "\n"
    assert json.loads(b"".join(client.get("/donnees-ouvertes/projets.json").streaming_content))["projets"] == []


def test_the_page_and_the_schema_are_public(client, published):
    page = client.get("/donnees-ouvertes/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "publie 1 projet d" in body
    assert "Licence Ouverte / Open Licence version 2.0" in body
    assert "<code>cout_estime_euros</code>" in body
    schema = json.loads(b"".join(client.get("/donnees-ouvertes/schema.json").streaming_content))
    assert schema == opendata.schema()


def test_a_restricted_project_is_never_published(db, published):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=published.pk).update(visibility=Project.Visibility.RESTRICTED)
    assert list(opendata.published_projects()) == [published]


def test_only_the_dgs_publishes(client, dgs, lead, published):
    client.force_login(lead)
    page = client.get(f"/projets/{published.pk}/modifier/").content.decode()
    assert "publié en données ouvertes" not in page.lower()
    client.force_login(dgs)
    page = client.get(f"/projets/{published.pk}/modifier/").content.decode()
    assert 'name="open_data"' in page


def test_the_files_read_as_many_queries_at_10_or_300_projects(client, db):
    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/donnees-ouvertes/projets.csv")
            rows = b"".join(response.streaming_content).count(b"\n")
        return len(queries), rows

    lead = UserFactory()
    for i in range(10):
        ProjectFactory(title=f"P{i}", lead=lead, open_data=True)
    few = measure()
    Project.objects.bulk_create(
        Project(
            title=f"Q{i}",
            summary="s",
            nature="societal",
            origin="agents",
            lead=lead,
            created_by=lead,
            phase=Project.objects.first().phase,
            phase_since=datetime.date(2026, 1, 1),
            open_data=True,
        )
        for i in range(290)
    )
    many = measure()
    assert (few[1], many[1]) == (11, 301)
    assert many[0] - few[0] <= 2  # prefetches come by chunks of 500 rows, not by project
