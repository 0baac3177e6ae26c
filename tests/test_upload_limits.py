"""Uploads over the limit are refused from their announced length, unread; a file that runs past it is cut off."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from accounts.roles import Role
from contests.models import Idea
from portfolio.models import Attachment
from tests.factories import ContestFactory, ProjectFactory

MB = 1024 * 1024


class ClientBody:
    """The body a client sends, made up as it is read, counting what the server reads of it."""

    def __init__(self, size: int, prefix: bytes = b"") -> None:
        self.prefix, self.size, self.read_bytes = prefix, size, 0

    def read(self, size: int = -1) -> bytes:
        left = self.size - self.read_bytes
        size = left if size is None or size < 0 else min(size, left)
        start, self.read_bytes = self.read_bytes, self.read_bytes + size
        head = self.prefix[start : start + size]
        return head + b"0" * (size - len(head))

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def text(response) -> str:
    """The page as read: entities decoded, non-breaking spaces (French number formats) as spaces."""
    return html.unescape(response.content.decode()).replace("\xa0", " ")


def post_body(client, url, body: ClientBody, announced: int | None = None):
    """A POST whose body is ``body``, announced as ``announced`` bytes (its real size by default)."""
    client.raise_request_exception = False
    return client.generic(
        "POST",
        url,
        b"-",  # replaced below: the test client would otherwise build the whole body in memory
        content_type=MULTIPART_CONTENT,
        **{"CONTENT_LENGTH": str(body.size if announced is None else announced), "wsgi.input": body},
    )


@pytest.fixture
def project(lead):
    return ProjectFactory(lead=lead, title="Guichet unique")


@pytest.fixture
def upload_dir(settings, tmp_path):
    """Files over 1 kB go to a temporary folder of the test's own, to see what stays there."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    return folder


def test_a_50_mb_document_is_refused_from_its_announced_length_without_being_read(client, project, upload_dir):
    client.force_login(project.lead)
    body = ClientBody(50 * MB)
    response = post_body(client, reverse("portfolio:attachment_upload", args=[project.pk]), body)
    assert response.status_code == 413
    page = text(response)
    assert "Envoi trop volumineux" in page
    assert "Un document ne peut pas dépasser 10,0 Mio" in page
    assert body.read_bytes == 0
    assert not Attachment.objects.exists()
    assert list(upload_dir.iterdir()) == []


def test_an_anonymous_visitor_cannot_make_the_server_read_a_large_body(client, project):
    body = ClientBody(50 * MB)
    response = post_body(client, reverse("portfolio:attachment_upload", args=[project.pk]), body)
    assert response.status_code == 413
    assert body.read_bytes == 0


def test_a_page_without_upload_refuses_a_body_over_the_form_limit(client, project):
    client.force_login(project.lead)
    body = ClientBody(6 * MB)
    response = post_body(client, reverse("portfolio:edit", args=[project.pk]), body)
    assert response.status_code == 413
    assert "Cette page n'accepte pas d'envoi de plus de 5,0 Mio" in text(response)
    assert body.read_bytes == 0


def test_a_file_that_runs_past_the_limit_is_cut_off_and_nothing_stays_in_temporary_storage(
    client, project, settings, upload_dir
):
    settings.ATTACHMENT_MAX_BYTES = 100 * 1024
    client.force_login(project.lead)
    head = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("gros.pdf", b"%PDF-1.4\n")})
    head = head[: head.index(b"%PDF-1.4")]  # the part's headers: its length is not announced
    body = ClientBody(900 * 1024, prefix=head + b"%PDF-1.4\n")
    response = post_body(client, reverse("portfolio:attachment_upload", args=[project.pk]), body)
    assert response.status_code == 400
    assert "Ce fichier dépasse la limite de 100,0 Kio : son envoi a été interrompu." in text(response)
    assert body.read_bytes < 200 * 1024  # cut off at the limit, give or take a chunk
    assert not Attachment.objects.exists()
    assert list(upload_dir.iterdir()) == []


def test_an_idea_keeps_its_text_when_its_attachment_is_cut_off(client, make_user, settings, upload_dir):
    settings.ATTACHMENT_MAX_BYTES = 100 * 1024
    agent = make_user(Role.AGENT, username="agent")
    contest = ContestFactory(slug="ecologie")
    client.force_login(agent)
    fields = {"title": "Vélos de service", "problem": "Les voitures.", "proposal": "Dix vélos.", "effort": "small"}
    head = encode_multipart(BOUNDARY, {**fields, "attachment": SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n")})
    head = head[: head.index(b"%PDF-1.4")]
    body = ClientBody(2 * MB // 3, prefix=head + b"%PDF-1.4\n")
    response = post_body(client, reverse("contests:idea_create", args=[contest.slug]), body)
    page = text(response)
    assert "Ce fichier dépasse la limite de 100,0 Kio" in page
    assert 'value="Vélos de service"' in page
    assert not Idea.objects.exists()
    assert list(upload_dir.iterdir()) == []


def test_a_page_without_upload_does_not_store_a_file_sent_to_it(client, project, upload_dir):
    client.force_login(project.lead)
    head = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("gros.pdf", b"%PDF-1.4\n")})
    body = ClientBody(4 * MB, prefix=head[: head.index(b"%PDF-1.4")])
    response = post_body(client, reverse("portfolio:edit", args=[project.pk]), body)
    assert response.status_code == 200  # the form, with its own errors
    assert body.read_bytes < 200 * 1024
    assert list(upload_dir.iterdir()) == []


def test_a_document_within_the_limit_is_still_accepted(client, project, upload_dir):
    client.force_login(project.lead)
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n" + b"%" * 4096
    response = client.post(
        reverse("portfolio:attachment_upload", args=[project.pk]), {"file": SimpleUploadedFile("note.pdf", pdf)}
    )
    assert response.status_code == 302
    assert Attachment.objects.get().file.read() == pdf
