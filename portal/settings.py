"""Settings, read once from the environment into one frozen object (README lists every variable)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENVIRONMENTS = ("dev", "test", "production")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    env: str = "dev"
    charter: str = "example"
    dynamodb_endpoint: str | None = None
    aws_region: str = "eu-west-3"
    table_prefix: str = "portal-dev-"
    dynamodb_timeout_seconds: float = 1.5
    request_deadline_seconds: float = 20.0  # no DynamoDB call starts once a page has run this long (503)
    secret_key: str = ""
    attachments_bucket: str = "portal-dev-attachments"
    static_bucket: str = "portal-dev-static"
    mail_sender: str = "support@example.com"
    data_dir: Path = Path(".data")
    port: int = 5000

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def uses_local_dynamodb(self) -> bool:
        return self.dynamodb_endpoint is not None


def _number(environ: Mapping[str, str], name: str, default, kind):
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be positive, not {raw!r}")
    return value


def _laptop_secret(data_dir: Path) -> str:
    """On a laptop, a secret kept in the data folder: sessions and e-mailed links survive a restart."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(32)
    path.write_text(secret)
    path.chmod(0o600)
    return secret


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the PORTAL_* variables; PORTAL_SECRET_KEY is required outside dev and test.

    :raise SettingsError: when a variable is missing or malformed.
    """
    environ = os.environ if environ is None else environ
    env = environ.get("PORTAL_ENV", "dev")
    if env not in ENVIRONMENTS:
        raise SettingsError(f"PORTAL_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    data_dir = Path(environ.get("PORTAL_DATA") or ".data")
    secret_key = environ.get("PORTAL_SECRET_KEY", "")
    if not secret_key:
        if env == "production":
            raise SettingsError("PORTAL_SECRET_KEY is required in production")
        secret_key = _laptop_secret(data_dir) if env == "dev" else secrets.token_hex(32)
    prefix_default = "portal-" if env == "production" else f"portal-{env}-"
    return Settings(
        env=env,
        charter=environ.get("PORTAL_CHARTER") or "example",
        dynamodb_endpoint=environ.get("PORTAL_DYNAMODB_ENDPOINT") or None,
        aws_region=environ.get("PORTAL_AWS_REGION") or environ.get("AWS_REGION") or "eu-west-3",
        table_prefix=environ.get("PORTAL_TABLE_PREFIX", prefix_default),
        dynamodb_timeout_seconds=_number(environ, "PORTAL_DYNAMODB_TIMEOUT", 1.5, float),
        request_deadline_seconds=_number(environ, "PORTAL_REQUEST_DEADLINE", 20.0, float),
        secret_key=secret_key,
        attachments_bucket=environ.get("PORTAL_ATTACHMENTS_BUCKET") or f"{prefix_default}attachments",
        static_bucket=environ.get("PORTAL_STATIC_BUCKET") or f"{prefix_default}static",
        mail_sender=environ.get("PORTAL_MAIL_SENDER") or "support@example.com",
        data_dir=data_dir,
        port=_number(environ, "PORTAL_PORT", 5000, int),
    )
