"""The deployment files stay in step with the settings (docker compose cannot run on CI machines)."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def variables_read_by_settings() -> set[str]:
    source = (ROOT / "innovation_portal/settings.py").read_text()
    return set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', source))


def test_every_variable_of_the_settings_is_listed_in_env_example():
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), flags=re.MULTILINE))
    read = variables_read_by_settings()
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS"} <= read
    assert read - listed == set()


def test_compose_runs_the_whole_production_stack():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"].startswith("redis://")
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "gunicorn innovation_portal.wsgi" in services["web"]["command"]
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "innovation_portal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "innovation_portal", "beat"]


def test_the_image_installs_the_pinned_requirements_and_the_browser():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install -r requirements.txt" in dockerfile
    assert "chromium" in dockerfile
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            assert "==" in line, f"not pinned: {line}"


def _gunicorn_timeout(command: str) -> int | None:
    found = re.search(r"--timeout[\s\",=]+(\d+)", command)
    return int(found.group(1)) if found else None


def test_gunicorn_worker_timeout_is_set_explicitly_and_alike_in_the_image_and_compose():
    """gunicorn's default (30 s) would kill a worker in the middle of a large export."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    dockerfile_cmd = next(line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD"))
    timeouts = {_gunicorn_timeout(compose["services"]["web"]["command"]), _gunicorn_timeout(dockerfile_cmd)}
    assert timeouts == {120}
