"""The Celery application, configured from Django's settings (CELERY_* names)."""

import os
from pathlib import Path
from typing import Any

from celery import Celery, signals

from common import tenancy

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovation_portal.settings")

app = Celery("innovation_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect  # type: ignore[untyped-decorator]  # celery has no type information
def ensure_embedded_broker_folders(**_kwargs: object) -> None:
    """The filesystem transport expects its folders to exist before anyone writes."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


# A task reads the rows of the collectivité that queued it: the scope travels in a header of the message.
SCOPE_HEADER = "organisation_scope"


@signals.before_task_publish.connect  # type: ignore[untyped-decorator]  # celery has no type information
def carry_the_scope(headers: dict[str, object] | None = None, **_kwargs: object) -> None:
    scope = tenancy.current_scope()
    if headers is not None and scope is not None:
        headers[SCOPE_HEADER] = {"organisation_id": tenancy.current_organisation_id()}


@signals.task_prerun.connect  # type: ignore[untyped-decorator]  # celery has no type information
def enter_the_scope(task: Any = None, **_kwargs: object) -> None:
    """The carried scope; a task run in place (eager, or called) keeps the scope it is called in."""
    request = task.request
    carried = getattr(request, SCOPE_HEADER, None) or (getattr(request, "headers", None) or {}).get(SCOPE_HEADER)
    scope = tenancy.Scope(carried["organisation_id"]) if isinstance(carried, dict) else tenancy.current_scope()
    request.scope_token = tenancy.activate(scope)


@signals.task_postrun.connect  # type: ignore[untyped-decorator]  # celery has no type information
def leave_the_scope(task: Any = None, **_kwargs: object) -> None:
    token = getattr(task.request, "scope_token", None)
    if token is not None:
        tenancy.deactivate(token)
