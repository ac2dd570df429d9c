"""Every history event and every follow-up task the portal writes has a name in the three languages."""

from __future__ import annotations

import ast
from pathlib import Path

import flask_babel

from portal.domain.charter import load_charter
from portal.domain.history import EventKind
from portal.web.app import create_app
from portal.web.labels import EVENT_LABELS
from portal.web.staff.lead_forms import TASK_LABELS
from tests.builders import make_settings

PORTAL = Path(__file__).resolve().parents[3] / "portal"


def written_task_kinds() -> set[str]:
    """The kinds passed to FollowUpTask(...) anywhere in the portal, literal or through a module constant."""
    constants: dict[str, str] = {}
    calls: list[ast.expr] = []
    for path in PORTAL.rglob("*.py"):
        if "adapters" in path.relative_to(PORTAL).parts:  # the adapters read back the kinds written elsewhere
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                    and isinstance(node.value.value, str):
                constants.update({t.id: node.value.value for t in node.targets if isinstance(t, ast.Name)})
            called = getattr(node, "func", None)
            if isinstance(node, ast.Call) and getattr(called, "id", getattr(called, "attr", "")) == "FollowUpTask":
                first = node.args[0] if node.args else next(k.value for k in node.keywords if k.arg == "kind")
                calls.append(first)
    kinds = set()
    for first in calls:
        if isinstance(first, ast.Constant):
            kinds.add(first.value)
        else:
            assert isinstance(first, ast.Name) and first.id in constants, ast.dump(first)
            kinds.add(constants[first.id])
    return kinds


def translated_everywhere(label) -> bool:
    app = create_app(make_settings(), charter=load_charter("example"), storage=object())
    with app.test_request_context("/"):
        with flask_babel.force_locale("en"):
            english = str(label)
        names = {}
        for language in ("fr", "nl"):
            with flask_babel.force_locale(language):
                names[language] = str(label)
    return all(name and name != english for name in names.values())


def test_every_event_kind_has_a_label_in_the_three_languages():
    missing = [kind.value for kind in EventKind if kind.value not in EVENT_LABELS]
    assert missing == []
    assert [kind for kind, label in EVENT_LABELS.items() if not translated_everywhere(label)] == []


def test_every_task_kind_written_anywhere_has_a_label_in_the_three_languages():
    kinds = written_task_kinds()
    assert {"dissatisfied_survey", "director_review", "response_at_risk"} <= kinds
    assert sorted(kinds - set(TASK_LABELS)) == []
    assert [kind for kind, label in TASK_LABELS.items() if not translated_everywhere(label)] == []
