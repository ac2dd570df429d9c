"""The web request path (on Lambda) reads the pre-built index with sqlite3 only: no Markdown, YAML or sanitizer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BUILD_TIME_ONLY = ("markdown_it", "nh3", "yaml")


def test_the_store_and_the_kb_pages_import_no_build_time_library():
    script = ("import json, sys; import portal.kb.store, portal.web.kb.routes, portal.web.app; "
              f"print(json.dumps([m for m in {BUILD_TIME_ONLY!r} if m in sys.modules]))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


def test_starting_the_portal_loads_no_knowledge_base_module_until_a_kb_page_is_asked_for():
    script = ("import json, sys; import portal.web.app, portal.web.kb.routes; "
              "print(json.dumps(sorted(m for m in sys.modules if m.startswith('portal.kb.'))))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


def test_the_default_index_ships_in_the_lambda_package_which_leaves_out_excluded_names():
    from portal.kb.index import DEFAULT_INDEX

    settings = json.loads((ROOT / "zappa_settings.json").read_text(encoding="utf-8"))
    excluded = {name for stage in settings.values() for name in stage.get("exclude", ())}
    folders = set(DEFAULT_INDEX.relative_to(ROOT).parent.parts)
    assert not folders & excluded, f"the index folder is excluded from the package: {folders & excluded}"
