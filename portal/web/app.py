"""The Flask application factory: a short list of named steps, each replaceable in tests."""

from __future__ import annotations

import functools
import logging
import time
from datetime import date, datetime
from pathlib import Path

from flask import Flask, current_app, g, request, session
from flask_babel import Babel, get_locale
from flask_wtf.csrf import CSRFProtect

from portal.logs import configure_logging
from portal.settings import Settings, load_settings

LANGUAGES = ("fr", "nl", "en")
STATIC_FOLDER = Path(__file__).resolve().parents[2] / "static"


class PortalContext:
    """What views need, once per process: settings and charter at start; storage, mail, files, password
    hashing and link signing at their first use, so that a cold start builds only what its request needs."""

    def __init__(self, settings: Settings, charter, **overrides):
        self.settings = settings
        self.charter = charter
        for name, value in overrides.items():  # test doubles replace the lazily built parts
            if value is not None:
                self.__dict__[name] = value

    @functools.cached_property
    def storage(self):
        return build_storage(self.settings)

    @functools.cached_property
    def mailer(self):
        return build_mailer(self.settings, self.storage)

    @functools.cached_property
    def files(self):
        return build_file_store(self.settings)

    @functools.cached_property
    def calendar(self):
        from portal.domain.calendar import calendar_for

        return calendar_for(self.charter)

    @functools.cached_property
    def link_signer(self):
        from portal.services.links import LinkSigner

        return LinkSigner(self.settings.secret_key)

    @functools.cached_property
    def passwords(self):
        from portal.adapters.passwords import argon2_passwords

        return argon2_passwords()

    def today(self, now: datetime) -> date:
        """The date at `now` in the charter's time zone (what "today" means for contracts and versions)."""
        return now.astimezone(self.calendar.zone).date()


def portal_context() -> PortalContext:
    """The running portal's context (inside a request)."""
    return current_app.extensions["portal"]


def create_app(settings: Settings | None = None, *, charter=None, storage=None, mailer=None,
               passwords=None, files=None) -> Flask:
    """Build the portal; tests pass their own settings, charter, storage, mailer, passwords and files doubles.

    :raise SettingsError: when the environment is incomplete.
    :raise CharterError: when the charter file is invalid (a bad charter never starts the portal).
    """
    settings = settings or load_settings()
    app = Flask("portal", static_folder=str(STATIC_FOLDER), static_url_path="/static",
                template_folder="web/templates")
    configure_logging()
    configure_flask(app, settings)
    app.extensions["portal"] = PortalContext(settings, charter or load_active_charter(settings), storage=storage,
                                             mailer=mailer, passwords=passwords, files=files)
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.extensions["portal"].charter.timezone
    register_database_deadline(app, settings)
    register_babel(app)
    register_csrf(app)
    register_blueprints(app)
    register_security_headers(app)
    register_request_log(app)
    return app


def configure_flask(app: Flask, settings: Settings) -> None:
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.is_production,
        MAX_CONTENT_LENGTH=50 * 1024 * 1024,
        TESTING=settings.env == "test",
    )


def load_active_charter(settings: Settings):
    from portal.domain.charter import load_charter

    return load_charter(settings.charter)


def build_storage(settings: Settings):
    from portal.adapters.dynamo.storage import DynamoStorage

    return DynamoStorage(settings)


def build_mailer(settings: Settings, storage=None):
    """SES in production; `.eml` files in the data folder's outbox elsewhere. With the storage, a mail the mail
    service refuses is kept and sent again by the mail retry (portal.services.mail_retry)."""
    if settings.is_production:
        from portal.adapters.mail import SesMailer

        def ses_client():
            import boto3

            return boto3.client("ses", region_name=settings.aws_region)

        mailer = SesMailer(ses_client, settings.mail_sender)
    else:
        from portal.adapters.mail import OutboxMailer

        mailer = OutboxMailer(settings.data_dir / "outbox", settings.mail_sender)
    pending = getattr(storage, "pending_mail", None)
    if pending is None:
        return mailer
    from portal.services.mail_retry import KeepingMailer

    return KeepingMailer(mailer, pending)


def build_file_store(settings: Settings):
    """S3 (the attachments bucket, presigned URLs) in production; a folder in the data folder elsewhere."""
    if settings.is_production:
        from portal.adapters.files import S3FileStore

        def s3_client():
            import boto3
            from botocore.config import Config

            return boto3.client("s3", region_name=settings.aws_region, config=Config(
                signature_version="s3v4", connect_timeout=2, read_timeout=10, retries={"max_attempts": 2}))

        return S3FileStore(s3_client, settings.attachments_bucket)
    from portal.adapters.files import LocalFileStore

    return LocalFileStore(settings.data_dir / "files", settings.secret_key)


def select_language() -> str:
    """?lang= (remembered in the session), else the browser's preference, else the charter's language.

    The session changes only when the language does: a page asked in the language already chosen sends no new
    session cookie."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        if session.get("lang") != asked:
            session["lang"] = asked
        return asked
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    preferred = request.accept_languages.best_match(LANGUAGES)
    if preferred:
        return preferred
    default = current_app.extensions["portal"].charter.default_language
    return default if default in LANGUAGES else "fr"


def register_babel(app: Flask) -> None:
    Babel(app, locale_selector=select_language, default_translation_directories="translations")

    @app.context_processor
    def language_context():
        return {"current_language": str(get_locale())}

    from datetime import timedelta

    from portal.services.explanations import explain
    from portal.web.formatting import decimal_label, size_label
    from portal.web.fragments import page_fragment
    from portal.web.labels import event_label, status_label
    from portal.web.page_language import FORM_MESSAGES, page_translations, translate_in_page
    from portal.web.timeline import support_timeline

    app.jinja_env.install_gettext_callables(
        gettext=lambda text: page_translations().ugettext(text),
        ngettext=lambda singular, plural, n: page_translations().ungettext(singular, plural, n),
        pgettext=lambda context, text: page_translations().upgettext(context, text),
        npgettext=lambda context, singular, plural, n: page_translations().unpgettext(context, singular, plural, n),
        newstyle=True)
    app.jinja_env.globals["_"] = translate_in_page

    @app.before_request
    def form_messages():
        request.wtforms_translations = FORM_MESSAGES  # Flask-WTF takes the catalog it finds there

    def explanation(due, language):
        return explain(due.parts, language, app.extensions["portal"].calendar)

    app.jinja_env.globals.update(timedelta=timedelta, support_timeline=support_timeline, status_label=status_label,
                                 event_label=event_label, explanation=explanation, page_fragment=page_fragment,
                                 size_label=size_label)
    app.jinja_env.filters["decimal"] = decimal_label

    @app.template_filter("tr")
    def charter_text(text):
        """A charter text (fr, nl, en) in the visitor's language."""
        return text.get(str(get_locale())) if text is not None else ""


def register_csrf(app: Flask) -> None:
    """CSRF on every form; the API is exempt because only bearer tokens, never cookies, authenticate it."""
    from portal.api import bp as api_bp

    CSRFProtect(app).exempt(api_bp)


def register_blueprints(app: Flask) -> None:
    from portal.api import bp as api_bp
    from portal.web.auth import bp as auth_bp
    from portal.web.customer import bp as customer_bp
    from portal.web.errors import bp as errors_bp
    from portal.web.health import bp as health_bp
    from portal.web.kb import bp as kb_bp
    from portal.web.main import bp as main_bp
    from portal.web.public import bp as public_bp
    from portal.web.requests import bp as requests_bp
    from portal.web.staff import bp as staff_bp
    from portal.web.tools import bp as tools_bp
    from portal.web.uploads import bp as uploads_bp

    for blueprint in (errors_bp, health_bp, main_bp, auth_bp, customer_bp, public_bp, kb_bp, requests_bp, tools_bp,
                      uploads_bp, staff_bp, api_bp):
        app.register_blueprint(blueprint)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def content_security_policy(settings: Settings) -> str:
    """The pages' CSP; in production the browser also sends attachments straight to the attachments bucket."""
    if not settings.is_production:
        return CONTENT_SECURITY_POLICY
    bucket, region = settings.attachments_bucket, settings.aws_region
    return CONTENT_SECURITY_POLICY + (f"; connect-src 'self' https://{bucket}.s3.amazonaws.com "
                                      f"https://{bucket}.s3.{region}.amazonaws.com")


def register_security_headers(app: Flask) -> None:
    production = app.extensions["portal"].settings.is_production
    policy = content_security_policy(app.extensions["portal"].settings)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if production:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def register_database_deadline(app: Flask, settings: Settings) -> None:
    """No DynamoDB call starts once a request has run `request_deadline_seconds`: it answers 503 instead."""
    from portal.adapters.dynamo.deadline import end_deadline, start_deadline

    @app.before_request
    def start_database_deadline():
        g.database_deadline = start_deadline(settings.request_deadline_seconds)

    @app.teardown_request
    def end_database_deadline(_error=None):
        token = g.pop("database_deadline", None)
        if token is not None:
            end_deadline(token)


def register_request_log(app: Flask) -> None:
    """One JSON line per request: method, path, status, duration."""
    log = logging.getLogger("portal.request")

    @app.before_request
    def start_timer():
        g.started = time.perf_counter()

    @app.after_request
    def log_request(response):
        elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        log.info("request", extra={"method": request.method, "path": request.path,
                                   "status": response.status_code, "duration_ms": round(elapsed, 1)})
        return response
