import pytest

from accounts.roles import Role


@pytest.fixture(autouse=True)
def _no_chart_browser(monkeypatch):
    """Unit tests draw charts as a stub SVG; the real kaleido renderer is exercised by the worker test."""
    monkeypatch.setattr(
        "reports.services.figure_svg",
        lambda figure, **kw: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    )


@pytest.fixture
def copil_member(make_user):
    return make_user(Role.COPIL, username="elu")
