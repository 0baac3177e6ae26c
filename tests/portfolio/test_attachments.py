"""Documents: type read from the bytes, size limit, random storage name, download for those who may see."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portfolio.models import Attachment

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    + b"\x00" * 46
    + b"\x80\x00\x00\x00"
    + (b"\x0e\x1f\xba\x0e\x00\xb4\t\xcd!\xb8\x01L\xcd!This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 200)
)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def upload(client, project, name, content):
    url = reverse("portfolio:attachment_upload", args=[project.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)


def test_a_pdf_is_stored_under_a_random_name_and_downloaded_with_its_own(client, project, settings):
    client.force_login(project.lead)
    response = upload(client, project, "Note de cadrage.pdf", PDF)
    assert "Le document est ajouté." in response.content.decode()
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert "Note de cadrage" not in attachment.file.name
    assert Path(settings.MEDIA_ROOT, attachment.file.name).read_bytes() == PDF
    download = client.get(reverse("portfolio:attachment_download", args=[project.pk, attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Disposition"] == 'attachment; filename="Note de cadrage.pdf"'
    assert b"".join(download.streaming_content) == PDF


def test_an_exe_renamed_pdf_is_refused(client, project):
    client.force_login(project.lead)
    response = upload(client, project, "facture.pdf", EXE)
    assert "Ce type de fichier n&#x27;est pas accepté" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_file_whose_content_does_not_match_its_extension_is_refused(client, project):
    client.force_login(project.lead)
    response = upload(client, project, "photo.pdf", PNG)
    assert "Le contenu du fichier ne correspond pas à son extension « .pdf »." in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_oversized_file_is_refused(client, project, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    client.force_login(project.lead)
    response = upload(client, project, "gros.pdf", PDF + b"0" * 200)
    assert "dépasse la limite de 100" in response.content.decode()  # cut off as it arrived
    assert not Attachment.objects.exists()


def test_a_reader_downloads_but_cannot_upload(client, project, stranger):
    client.force_login(project.lead)
    upload(client, project, "plan.png", PNG)
    attachment = Attachment.objects.get()
    client.force_login(stranger)
    assert client.get(reverse("portfolio:attachment_download", args=[project.pk, attachment.pk])).status_code == 200
    assert upload(client, project, "autre.png", PNG).status_code == 403


@pytest.mark.parametrize("name", ["Plan.PNG", "plan.png"])
def test_extensions_are_compared_without_case(client, project, name):
    client.force_login(project.lead)
    upload(client, project, name, PNG)
    assert Attachment.objects.get().content_type == "image/png"


def test_an_attachment_of_another_project_is_not_served(client, project, make_user):
    from tests.factories import ProjectFactory

    client.force_login(project.lead)
    upload(client, project, "plan.png", PNG)
    other = ProjectFactory(lead=project.lead)
    attachment = Attachment.objects.get()
    assert client.get(reverse("portfolio:attachment_download", args=[other.pk, attachment.pk])).status_code == 404
