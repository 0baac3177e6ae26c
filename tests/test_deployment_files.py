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
    assert set(services) == {"postgres", "redis", "migrate", "web", "proxy", "worker", "beat"}
    for name in ("migrate", "web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"].startswith("redis://")
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert "gunicorn innovation_portal.wsgi" in services["web"]["command"]
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "innovation_portal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "innovation_portal", "beat"]


def test_web_servers_and_workers_scale_out_behind_one_published_port():
    """`docker compose up --scale web=3 --scale worker=4` must start: no fixed container name, no host port on a
    scaled service, the migrations run once before them, and one proxy spreads the requests over the web servers."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    for name, service in services.items():
        assert "container_name" not in service, name
    for name in ("web", "worker", "beat", "migrate"):
        assert "ports" not in services[name], name
        assert services[name]["volumes"] == ["media:/app/var/media"], name  # files shared, none in a container
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name
    assert "migrate" not in services["web"]["command"]  # several web servers never migrate side by side
    assert services["migrate"]["restart"] == "no"
    assert services["web"]["expose"] == ["8000"]
    proxy = services["proxy"]
    assert proxy["ports"] == ["8000:8000"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    mount = next(volume for volume in proxy["volumes"] if volume.startswith("./deploy/nginx.conf:"))
    assert mount.endswith(":/etc/nginx/conf.d/default.conf:ro")


def test_the_proxy_finds_every_web_container_and_keeps_the_clients_address():
    conf = (ROOT / "deploy/nginx.conf").read_text()
    assert "resolver 127.0.0.11" in conf  # Docker's DNS, asked again: containers added by --scale are found
    assert re.search(r"set \$portal_web http://web:8000;\s+proxy_pass \$portal_web;", conf)
    assert "proxy_set_header Host $http_host;" in conf
    assert "proxy_set_header X-Forwarded-For $portal_forwarded_for;" in conf
    assert "proxy_set_header X-Forwarded-Proto $portal_forwarded_proto;" in conf
    assert "client_max_body_size 12m;" in conf
    assert "proxy_buffering off;" in conf  # streamed exports


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
