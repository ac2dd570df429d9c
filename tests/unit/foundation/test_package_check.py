"""Zappa's zip callback refuses a package that could not run on Lambda (pysqlite3 missing, texts or the knowledge
base index not built), and lets a whole one through."""

import json
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from infra.package_check import REQUIRED_IN_PACKAGE, check_package, missing_from

ROOT = Path(__file__).resolve().parents[3]
WHOLE = ["portal/wsgi.py", "portal/kb/generated/knowledge_base.sqlite3",
         *(f"portal/translations/{lang}/LC_MESSAGES/messages.mo" for lang in ("en", "fr", "nl")),
         "pysqlite3/__init__.py", "pysqlite3/_sqlite3.cpython-311-x86_64-linux-gnu.so", "flask/__init__.py"]


def package(tmp_path, names) -> str:
    path = tmp_path / "portal-dev.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            archive.writestr(name, b"x")
    return str(path)


def test_a_whole_package_passes(tmp_path):
    check_package(SimpleNamespace(zip_path=package(tmp_path, WHOLE)))


def test_a_package_built_without_pysqlite3s_wheel_is_refused_naming_the_deploy_machine(tmp_path):
    names = [name for name in WHOLE if not name.startswith("pysqlite3/")]
    with pytest.raises(SystemExit) as refused:
        check_package(SimpleNamespace(zip_path=package(tmp_path, names)))
    assert "pysqlite3/__init__.py" in str(refused.value)
    assert "Linux x86_64" in str(refused.value)


def test_pysqlite3s_python_without_its_compiled_sqlite_is_refused(tmp_path):
    names = [name for name in WHOLE if not name.endswith(".so")]
    compiled = "pysqlite3/_sqlite3*.so"
    assert missing_from(package(tmp_path, names)) == [f"{compiled}: {REQUIRED_IN_PACKAGE[compiled]}"]


def test_uncompiled_texts_and_an_unbuilt_index_are_named(tmp_path):
    names = [name for name in WHOLE if not name.endswith((".mo", ".sqlite3"))]
    missing = missing_from(package(tmp_path, names))
    assert len(missing) == 4
    assert any("knowledge_base.sqlite3" in line for line in missing)


def test_every_stage_runs_the_check_after_zappa_builds_its_zip():
    stages = json.loads((ROOT / "zappa_settings.json").read_text())
    assert {name: stage.get("callbacks", {}).get("zip") for name, stage in stages.items()} == {
        name: "infra.package_check.check_package" for name in stages}
