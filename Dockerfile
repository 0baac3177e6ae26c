# The portal's image: web (gunicorn), Celery worker and beat run from it (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    VAR_DIR=/app/var \
    BROWSER_PATH=/usr/bin/chromium

# chromium renders the charts of the PDF reports; fonts for the PDFs; gettext for the translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-liberation gettext libmagic1 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
RUN DEBUG=true python manage.py compilemessages --ignore=.venv -v 0 \
    && DEBUG=false SECRET_KEY=build-only-build-only-build-only-build-only-build-only ALLOWED_HOSTS=build \
       python manage.py collectstatic --no-input -v 0 \
    && rm -f var/secret_key \
    && useradd --system --home /app portal \
    && mkdir -p var/media var/mail && chown -R portal var

USER portal
EXPOSE 8000
# --timeout 120: a sync worker is killed when one request takes longer (30 s by default). Streamed
# exports of 100,000 projects or respondents take a few seconds to a few tens of seconds (docs/exports.md);
# 120 s leaves them room on a busy server while a stuck request still frees its worker.
CMD ["gunicorn", "innovation_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", "--access-logfile", "-"]
