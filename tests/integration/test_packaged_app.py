"""The zip `zappa package` builds is what Lambda runs: it fits the upload limit and answers /healthz.

The package is built in a lean virtualenv (the run-time pins and Zappa only, as on a deploy machine),
then unzipped and called through Zappa's own handler, in a separate Python that sees only the
unzipped folder (no site-packages), against DynamoDB Local.
The project itself is not installed in the lean virtualenv: Zappa takes the portal's code from the
working tree, as a deploy from a clone does, so an installed copy would only be packed twice.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
ZIP = BUILD / "portal-dev.zip"
STAGE = "dev"
LAMBDA_UPLOAD_LIMIT = 50 * 1024 * 1024  # bytes: Lambda's limit for a zip uploaded directly
FAKE_AWS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": "eu-west-3"}
NOT_FOR_LAMBDA = ("tests/", "bench/", "tools/", ".venv/", ".data/", "moto/", "pytest/", "_pytest/", "hypothesis/",
                  "pandas/", "numpy/", "cfnlint/", "ruff/", "troposphere/", "cfn_flip/", "setuptools/", "pip/")


def stage_settings() -> dict:
    return json.loads((ROOT / "zappa_settings.json").read_text())[STAGE]


def zappa_requirement() -> str:
    """Zappa at the version the developers use (pinned in requirements-dev.txt)."""
    pin = re.search(r"^zappa==\S+", (ROOT / "requirements-dev.txt").read_text(), re.MULTILINE | re.IGNORECASE)
    return pin.group(0) if pin else "zappa"


def _clean_env(**extra) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME") and not key.startswith(("PORTAL_", "AWS_"))}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def lean_venv() -> Path:
    """A virtualenv with requirements.txt and Zappa only, kept under build/ until the pins change."""
    key = hashlib.sha256()
    for name in ("requirements.txt", "requirements-dev.txt", "pyproject.toml"):
        key.update((ROOT / name).read_bytes())
    key.update(f"{sys.version_info.major}.{sys.version_info.minor}".encode())
    venv = BUILD / f"lean-venv-{key.hexdigest()[:16]}"
    BUILD.mkdir(exist_ok=True)
    with open(BUILD / "lean-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two test sessions never build the same folder at once
        if not (venv / ".complete").exists():
            for stale in BUILD.glob("lean-venv-*"):
                shutil.rmtree(stale, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
            subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-r",
                            str(ROOT / "requirements.txt"), zappa_requirement(),
                            "-c", str(ROOT / "requirements-dev.txt")],
                           check=True, timeout=900, env=_clean_env())
            (venv / ".complete").touch()
    return venv


@pytest.fixture(scope="module")
def package(lean_venv) -> Path:
    """`zappa package dev`, run from the project root in the lean virtualenv (no AWS call is made)."""
    ZIP.unlink(missing_ok=True)
    env = _clean_env(VIRTUAL_ENV=str(lean_venv), PATH=f"{lean_venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
                     **FAKE_AWS)
    result = subprocess.run([str(lean_venv / "bin" / "zappa"), "package", STAGE, "-o", str(ZIP.relative_to(ROOT))],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0 and ZIP.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    return ZIP


@pytest.fixture(scope="module")
def lambda_task(package, tmp_path_factory) -> Path:
    """The package unzipped, as Lambda lays it out in /var/task."""
    task = tmp_path_factory.mktemp("lambda-task")
    with zipfile.ZipFile(package) as archive:
        archive.extractall(task)
    return task


@pytest.fixture
def stage_tables(dynamodb_local, fake_aws):
    """The stage's tables (its PORTAL_TABLE_PREFIX) in DynamoDB Local, dropped afterwards."""
    from portal.adapters.dynamo.tables import configure_tables, create_missing_tables, delete_tables
    from portal.settings import Settings

    variables = stage_settings()["environment_variables"]
    settings = Settings(env="test", secret_key="test-secret", dynamodb_endpoint=dynamodb_local.endpoint,
                        table_prefix=variables["PORTAL_TABLE_PREFIX"],
                        aws_region=stage_settings()["aws_region"])
    configure_tables(settings)
    create_missing_tables()
    yield dynamodb_local
    configure_tables(settings)
    delete_tables()


INVOKE = """
import json, sys

class Context:
    function_name = "support-portal-dev"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:eu-west-3:123456789012:function:support-portal-dev"
    memory_limit_in_mb = 1024
    aws_request_id = "c6af9ac6-7b61-11e6-9a41-93e812345678"
    log_group_name = "/aws/lambda/support-portal-dev"
    log_stream_name = "2026/01/05/[$LATEST]0123456789abcdef"
    def get_remaining_time_in_millis(self):
        return 30000

import handler
event = json.loads(open(sys.argv[1]).read())
result = handler.lambda_handler(event, Context())
open(sys.argv[2], "w").write(json.dumps(result))
"""


def invoke(lean_venv: Path, task: Path, database, event: dict, tmp_path: Path):
    """Call the packaged handler once, in a fresh Python that sees only the unzipped package."""
    from portal.adapters.dynamodb_local import free_port

    event_file, result_file = tmp_path / "event.json", tmp_path / "result.json"
    event_file.write_text(json.dumps(event))
    env = _clean_env(
        PYTHONPATH=str(task), PORTAL_ENV="production", PORTAL_SECRET_KEY="packaged-test-secret",
        PORTAL_DYNAMODB_ENDPOINT=database.endpoint, AWS_REGION="eu-west-3", AWS_MAX_ATTEMPTS="1",
        # The stage's remote_env file is out of reach here, as S3 is: the handler goes on without it.
        AWS_ENDPOINT_URL_S3=f"http://127.0.0.1:{free_port()}", **FAKE_AWS)
    result = subprocess.run([str(lean_venv / "bin" / "python"), "-S", "-c", INVOKE, str(event_file), str(result_file)],
                            cwd=task, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(result_file.read_text()), result


def api_gateway_get(path: str) -> dict:
    """An API Gateway REST API proxy event (payload version 1.0), as Zappa's API receives it."""
    host = "abc123defg.execute-api.eu-west-3.amazonaws.com"
    headers = {"Accept": "application/json", "Host": host, "User-Agent": "healthcheck/1.0",
               "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Port": "443", "X-Forwarded-Proto": "https"}
    return {
        "resource": "/{proxy+}", "path": path, "httpMethod": "GET",
        "headers": headers, "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": None, "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path.lstrip("/")}, "stageVariables": None,
        "requestContext": {
            "resourcePath": "/{proxy+}", "httpMethod": "GET", "path": f"/{STAGE}{path}", "stage": STAGE,
            "accountId": "123456789012", "apiId": "abc123defg", "domainName": host, "protocol": "HTTP/1.1",
            "requestId": "41b45ea3-70b5-11e6-b7bd-69b5aaebc7d9", "requestTimeEpoch": 1767607200000,
            "identity": {"sourceIp": "203.0.113.7", "userAgent": "healthcheck/1.0"},
        },
        "body": None, "isBase64Encoded": False,
    }


def keep_warm_event() -> dict:
    """The EventBridge event of Zappa's keep-warm rule, the shape every scheduled event has."""
    return {
        "version": "0", "id": "89d1a02d-5ec7-412e-82f5-13505f849b41", "detail-type": "Scheduled Event",
        "source": "aws.events", "account": "123456789012", "time": "2026-01-05T09:00:00Z", "region": "eu-west-3",
        "resources": ["arn:aws:events:eu-west-3:123456789012:rule/"
                      "support-portal-dev-zappa-keep-warm-handler.keep_warm_callback"],
        "detail": {},
    }


def test_the_package_fits_lambdas_upload_limit(package):
    size = package.stat().st_size
    assert size < LAMBDA_UPLOAD_LIMIT, f"{size / 2**20:.1f} MiB"


def test_the_package_holds_the_portal_and_leaves_test_and_build_tools_out(package):
    names = zipfile.ZipFile(package).namelist()
    for wanted in ("handler.py", "zappa_settings.py", "portal/wsgi.py", "portal/charters/example.toml",
                   "portal/translations/fr/LC_MESSAGES/messages.mo", "flask/__init__.py", "pynamodb/__init__.py",
                   "portal/kb/generated/knowledge_base.sqlite3",
                   "pysqlite3/__init__.py"):  # Lambda's own SQLite (3.7.17) has no FTS5: the package brings one
        assert wanted in names, wanted
    unwanted = sorted({name for name in names if name.startswith(NOT_FOR_LAMBDA) or name.endswith(".pyc")})
    assert not unwanted, unwanted[:20]


def test_the_packaged_handler_answers_healthz_through_api_gateway(lean_venv, lambda_task, stage_tables, tmp_path):
    response, _ = invoke(lean_venv, lambda_task, stage_tables, api_gateway_get("/healthz"), tmp_path)
    assert response["statusCode"] == 200, response
    body = json.loads(response["body"])
    assert body["dynamodb"] == "ok"
    assert body["status"] == "ok"


def test_a_scheduled_event_does_not_crash_the_packaged_handler(lean_venv, lambda_task, stage_tables, tmp_path):
    response, run = invoke(lean_venv, lambda_task, stage_tables, keep_warm_event(), tmp_path)
    assert response is None
    assert "Traceback" not in run.stderr


def test_the_packaged_knowledge_base_answers_a_search_with_the_sqlite_it_brings(lean_venv, lambda_task, stage_tables,
                                                                                 tmp_path):
    event = api_gateway_get("/kb")
    event["queryStringParameters"] = {"q": "licence", "lang": "en"}
    event["multiValueQueryStringParameters"] = {"q": ["licence"], "lang": ["en"]}
    response, run = invoke(lean_venv, lambda_task, stage_tables, event, tmp_path)
    assert response["statusCode"] == 200, response
    assert 'href="/dev/kb/' in response["body"] or 'href="/kb/' in response["body"]  # articles were found
    assert "Traceback" not in run.stderr
    probe = subprocess.run([str(lean_venv / "bin" / "python"), "-S", "-c",
                            "import portal.kb.store as s; print(s.sqlite3.__name__, s.sqlite3.sqlite_version)"],
                           cwd=lambda_task, env=_clean_env(PYTHONPATH=str(lambda_task)), capture_output=True,
                           text=True, timeout=60)
    assert probe.stdout.startswith("pysqlite3.dbapi2 "), probe.stdout + probe.stderr
