"""The dated states behind "the portfolio at a date": kept true by every way of writing, and giving the same
answers as replaying each project's decisions and history day by day."""

import datetime
import random

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from portfolio import periods, selectors, services
from portfolio.models import GateDecision, Phase, Project, ProjectPeriod
from tests.factories import ProjectFactory

START = datetime.date(2026, 1, 5)
STATUS_AFTER = {"go": "active", "resume": "active", "hold": "on_hold", "stop": "stopped", "complete": "completed"}


def logged(day: datetime.date, **fields) -> Project:
    project = ProjectFactory(phase_since=day, **fields)
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    Project.objects.filter(pk=project.pk).update(created_at=when)
    Project.history.filter(id=project.pk).update(history_date=when)
    periods.rebuild_state_ranges()
    project.refresh_from_db()
    return project


def decision(project, kind, day, by, *, from_phase, to_phase) -> GateDecision:
    return GateDecision.objects.create(
        project=project,
        decision=kind,
        from_phase=from_phase,
        to_phase=to_phase,
        decided_by=by,
        decided_on=day,
        rationale="Décision de test",
    )


def replayed(project: Project, day: datetime.date) -> tuple[int, str, datetime.date]:
    """The state at the end of ``day`` by replaying the decisions taken by then (the rule, written plainly)."""
    decisions = list(project.gate_decisions.order_by("decided_on", "recorded_at", "pk"))
    if not decisions:
        return project.phase_id, project.status, project.phase_since
    by_then = [d for d in decisions if d.decided_on <= day]
    moves = [d for d in by_then if d.decision == "go"]
    if moves:
        since = moves[-1].decided_on
    elif any(d.decision == "go" for d in decisions):
        since = project.history.earliest("history_date").phase_since
    else:
        since = project.phase_since
    if not by_then:
        return decisions[0].from_phase_id, "active", since
    return by_then[-1].to_phase_id, STATUS_AFTER[by_then[-1].decision], since


def replayed_passages(phases: list[Phase], day: datetime.date) -> list[tuple[int, int, int]]:
    """Per phase: the projects that had been in it by ``day``, and those of them that had left it by a move."""
    entered, moved_on = {p.pk: 0 for p in phases}, {p.pk: 0 for p in phases}
    for project in Project.objects.filter(created_at__date__lte=day):
        decisions = list(project.gate_decisions.order_by("decided_on", "recorded_at", "pk"))
        moves = [d for d in decisions if d.decision == "go" and d.decided_on <= day]
        visited = {decisions[0].from_phase_id if decisions else project.phase_id, *(d.to_phase_id for d in moves)}
        for phase in visited:
            entered[phase] += 1
        for move in moves:
            moved_on[move.from_phase_id] += 1
    return [(p.pk, entered[p.pk], moved_on[p.pk]) for p in phases]


def test_the_state_at_any_date_is_the_replay_of_the_decisions(dgs):
    """Random series of decisions, several on one day, hold and resume, stop: for every third day of the year,
    the phase, status and date of entry read from the periods, and the passages from phase to phase, are those
    a replay of the decisions gives."""
    rng = random.Random(4)
    phases = list(Phase.objects.order_by("order"))
    projects = [logged(START + datetime.timedelta(days=rng.randrange(30))) for _ in range(12)]
    for project in projects[1:]:  # the first keeps no decision at all
        phase, day = 0, project.phase_since
        for _step in range(rng.randrange(1, 6)):
            day += datetime.timedelta(days=rng.choice([0, 0, 7, 40]))
            kind = rng.choice(["go", "go", "hold", "resume", "stop"])
            if kind == "go" and phase == len(phases) - 1:
                kind = "complete"  # the last phase is left by the closing decision
            to = phase + 1 if kind == "go" else phase
            decision(project, kind, day, dgs, from_phase=phases[phase], to_phase=phases[to])
            phase = to
    day = START
    while day < datetime.date(2027, 1, 1):
        found = {
            p.pk: (p.phase_at, p.status_at, p.phase_since_at)
            for p in selectors.projects_as_of(Project.objects.all(), day)
        }
        expected = {p.pk: replayed(p, day) for p in Project.objects.filter(created_at__date__lte=day)}
        assert found == expected, day
        passages = [(p.phase.pk, p.entered, p.moved_on) for p in selectors.phase_passages(Project.objects.all(), day)]
        assert passages == replayed_passages(phases, day), day
        day += datetime.timedelta(days=3)
    assert periods.wrong_periods(Project.objects.values_list("pk", flat=True)) == []


def test_periods_follow_a_decision_recorded_through_the_service_and_one_deleted(dgs):
    emergence, adoption = Phase.objects.order_by("order")[:2]
    project = logged(datetime.date(2026, 2, 1))
    assert not ProjectPeriod.objects.filter(project=project).exists()  # no decision: its own state holds
    services.project_decide_gate(project=project, decided_by=dgs, decision="go", rationale="Moyens votés")
    today = timezone.localdate()
    assert list(ProjectPeriod.objects.filter(project=project).values_list("phase", "status", "ends_on")) == [
        (emergence.pk, "active", today),
        (adoption.pk, "active", periods.END),
    ]
    [state] = selectors.projects_as_of(Project.objects.filter(pk=project.pk), today)
    assert (state.phase_at, state.status_at, state.phase_since_at) == (adoption.pk, "active", today)
    GateDecision.objects.filter(project=project).delete()
    assert not ProjectPeriod.objects.filter(project=project).exists()


def test_the_history_at_a_date_is_one_record_per_project(lead):
    """Each record ends when the next one is made: the state at a date is one record per project, the one made
    by then and not yet replaced; a project entered later than its logging date reads as its latest state."""
    project = logged(datetime.date(2026, 3, 2), title="Guichet", nature="managerial")
    services.project_update(project=project, data={"nature": "societal"})
    first, second = project.history.order_by("history_date", "history_id")
    assert first.history_until == second.history_date and second.history_until is None
    assert first.history_began == second.history_began == first.history_date
    assert periods.rebuild_state_ranges(check=True) == 0

    def nature_on(day):
        return list(selectors.states_as_of(Project.objects.all(), day).values_list("nature", flat=True))

    assert nature_on(datetime.date(2026, 6, 30)) == ["managerial"]
    assert nature_on(timezone.localdate()) == ["societal"]
    backdated = ProjectFactory(title="Saisi tard", nature="societal")  # logged today, dated earlier:
    Project.objects.filter(pk=backdated.pk).update(created_at=timezone.make_aware(datetime.datetime(2026, 1, 5)))
    states = selectors.states_as_of(Project.objects.filter(title="Saisi tard"), datetime.date(2026, 6, 30))
    assert list(states.values_list("title", "nature")) == [("Saisi tard", "societal")]


def test_the_command_finds_and_repairs_wrong_dated_states(dgs, capsys):
    emergence, adoption = Phase.objects.order_by("order")[:2]
    project = logged(datetime.date(2026, 2, 1))
    decision(project, "go", datetime.date(2026, 4, 1), dgs, from_phase=emergence, to_phase=adoption)
    call_command("rebuild_project_states", "--check")
    assert "justes" in capsys.readouterr().out

    ProjectPeriod.objects.filter(project=project).update(status="stopped")  # written behind the receivers' back
    Project.history.filter(id=project.pk).update(history_until=None)
    with pytest.raises(CommandError, match="1 projet"):
        call_command("rebuild_project_states", "--check")
    call_command("rebuild_project_states")
    call_command("rebuild_project_states", "--check")
    [state] = selectors.projects_as_of(Project.objects.all(), datetime.date(2026, 5, 1))
    assert (state.phase_at, state.status_at) == (adoption.pk, "active")
