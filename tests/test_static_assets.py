"""The pages' static files: a small plotly.js of our own instead of the plotly package's folder, served
hashed, compressed and cacheable for good in production."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from tests.helpers import ROOT, clean_environ, manage

BUNDLE = "js/plotly-portal.min.js"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "production-secret-key-for-the-test-only-0123456789",
    "ALLOWED_HOSTS": "innovation.example.fr",
}


def test_the_full_plotly_js_and_the_plotly_package_folder_are_not_published():
    assert finders.find("plotly/plotly.min.js") is None
    assert finders.find("plotly/widgetbundle.js") is None
    published = {path: storage.path(path) for finder in finders.get_finders() for path, storage in finder.list([])}
    assert not [path for path in published if path.endswith("plotly.min.js")]
    assert not [path for path, full in published.items() if "package_data" in full]
    # The API's documentation (/api/docs, Swagger UI served by django-ninja from our static files) is the one big
    # bundle allowed: no page of the portal loads it.
    big = [path for path, full in published.items() if Path(full).stat().st_size > 1_500_000]
    assert not [path for path in big if not path.startswith("ninja/")]


def test_the_bundle_is_published_and_built_from_the_pinned_plotly_js():
    bundle = Path(finders.find(BUNDLE))
    lock = json.loads((ROOT / "frontend" / "package-lock.json").read_text())
    pinned = lock["packages"]["node_modules/plotly.js"]["version"]
    head = bundle.read_text()[:300]
    assert f"plotly.js v{pinned} " in head and "scatterpolar" in head
    assert bundle.stat().st_size < 1_300_000  # the full plotly.min.js weighs 4.8 MB
    assert Path(finders.find("css/plotly.css")).stat().st_size > 1000


def test_the_bundle_and_the_chart_script_need_no_eval():
    """A Content-Security-Policy without 'unsafe-eval' must not break the charts."""
    for name in (BUNDLE, "js/charts.js"):
        text = Path(finders.find(name)).read_text()
        assert not re.search(r"\beval\(|new Function\(|\bFunction\(\s*['\"]", text), name


def test_the_charts_have_no_toolbar_and_use_the_page_language():
    script = Path(finders.find("js/charts.js")).read_text()
    assert "displayModeBar: false" in script
    assert "document.documentElement.lang" in script
    assert "dictionary" not in script  # plotly.js's own French locale, in the bundle, not hand-written strings


@pytest.mark.django_db
def test_chart_pages_link_the_bundle_and_plotly_stylesheet_without_inline_script(client):
    from accounts.roles import Role
    from tests.factories import ProjectFactory, UserFactory

    ProjectFactory.create_batch(2)
    client.force_login(UserFactory(roles=[Role.COPIL]))
    page = client.get("/tableaux-de-bord/").content.decode()
    assert '<script src="/static/js/plotly-portal.min.js" defer></script>' in page
    assert '<script src="/static/js/charts.js" defer></script>' in page
    assert 'id="plotly.js-style-global" class="no-inline-styles" href="/static/css/plotly.css"' in page
    assert "plotly.min.js" not in page
    scripts = re.findall(r"<script(?P<attributes>[^>]*)>", page)
    assert all("src=" in attributes or 'type="application/json"' in attributes for attributes in scripts)


def test_production_serves_static_files_hashed_compressed_and_cached_for_good(tmp_path):
    env = clean_environ(VAR_DIR=str(tmp_path), STATIC_ROOT=str(tmp_path / "static"), **PRODUCTION)
    backend = manage(env, "shell", "-c", "from django.conf import settings; print(settings.STORAGES['staticfiles'])")
    assert "whitenoise.storage.CompressedManifestStaticFilesStorage" in backend
    manage(env, "collectstatic", "--no-input", "-v", "0")
    hashed = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    assert re.fullmatch(r"js/plotly-portal\.min\.[0-9a-f]{12}\.js", hashed[BUNDLE])
    assert "plotly/plotly.min.js" not in hashed
    assert (tmp_path / "static" / f"{hashed[BUNDLE]}.br").exists()
    assert (tmp_path / "static" / f"{hashed[BUNDLE]}.gz").exists()
    code = (
        "from django.test import Client; from django.templatetags.static import static; "
        f"url = static({BUNDLE!r}); "
        "r = Client().get(url, HTTP_HOST='innovation.example.fr', HTTP_ACCEPT_ENCODING='gzip, br', secure=True); "
        "print(url, r.status_code, r['Content-Encoding'], r['Cache-Control'], sep='|')"
    )
    url, status, encoding, cache = manage(env, "shell", "-c", code).splitlines()[-1].split("|")
    assert (url, status, encoding) == (f"/static/{hashed[BUNDLE]}", "200", "br")
    assert "immutable" in cache and "max-age=315360000" in cache
