"""A vendor's support charter as data: one TOML file, loaded and validated into frozen dataclasses.

Code never branches on a vendor's name: everything that differs between charters lives in the file.
`load_charter` reports every problem of a file at once (file, key, what is wrong), so a bad charter
never starts the portal. `portal/charters/example.toml` documents every key.
"""

from __future__ import annotations

import datetime
import difflib
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from portal.domain.errors import PortalError

PRESETS_DIR = Path(__file__).resolve().parents[1] / "charters"
TEXT_LANGUAGES = ("fr", "nl", "en")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SEVERITIES = (1, 2, 3, 4)
CHANNELS = ("web", "email", "phone", "remote")
COMMITMENT_KINDS = ("business_hours", "end_of_business_day", "business_days", "none")
POLICY_KINDS = ("current_only", "n_minus", "previous_for_months", "all_releases")
ALTERNATIVES = ("training", "professional_services", "consulting", "documentation", "reseller", "it_provider",
                "none")
FACT_KINDS = ("text", "longtext", "choice", "file", "phone", "version")
PRICE_UNITS = ("person_day", "day")
_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
_INTERVAL = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


# --- errors ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CharterProblem:
    """One thing wrong in a charter file: where (file and key path) and what."""

    file: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.message}" if self.key else f"{self.file}: {self.message}"


class CharterError(PortalError):
    """A charter could not be loaded; `problems` lists every problem found, each with its file and key."""

    def __init__(self, problems: list[CharterProblem]):
        self.problems = list(problems)
        count = len(self.problems)
        heading = f"charter invalid ({count} problem{'s' if count != 1 else ''})"
        super().__init__(heading + "".join(f"\n  {problem}" for problem in self.problems))


class UnknownTier(KeyError):
    """The charter has no tier with this id."""

    def __init__(self, tier_id: str, known: tuple[str, ...] = ()):
        super().__init__(tier_id)
        self.tier_id = tier_id
        self.known = known

    def __str__(self) -> str:
        return f"unknown tier {self.tier_id!r}" + (f" (tiers: {', '.join(self.known)})" if self.known else "")


# --- the charter's data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Text(Mapping):
    """A user-facing text in fr, nl and en; `get(lang)` falls back to the charter's default language."""

    translations: tuple[tuple[str, str], ...]
    default_language: str = "fr"

    @classmethod
    def of(cls, default_language: str = "fr", **translations: str) -> Text:
        return cls(tuple(sorted(translations.items())), default_language)

    def __getitem__(self, language: str) -> str:
        for code, value in self.translations:
            if code == language:
                return value
        raise KeyError(language)

    def __iter__(self) -> Iterator[str]:
        return (code for code, _ in self.translations)

    def __len__(self) -> int:
        return len(self.translations)

    def get(self, language: str | None = None, default: str | None = None) -> str:  # type: ignore[override]
        """The text in `language`, else in the default language, else in any language."""
        for code in (language, self.default_language):
            if code in self:
                return self[code]
        if default is not None:
            return default
        return self.translations[0][1] if self.translations else ""

    def __str__(self) -> str:
        return self.get()


@dataclass(frozen=True)
class OpeningInterval:
    """One open interval of a weekday, in local wall-clock time; start < end."""

    start: datetime.time
    end: datetime.time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class Commitment:
    """The response commitment for one (tier, severity) (rules S4, T3, E10, G1)."""

    kind: str  # "business_hours" | "end_of_business_day" | "business_days" | "none"
    amount: float | None = None  # hours for business_hours, days for business_days, None otherwise
    target_business_hours: float | None = None  # a target shown beside the commitment (rule T3)

    @property
    def is_committed(self) -> bool:
        return self.kind != "none"


NO_COMMITMENT = Commitment("none")


@dataclass(frozen=True)
class Tier:
    """A level of service; `priority` 1 is served first (rule T2)."""

    id: str
    label: Text
    priority: int
    may_open_requests: bool  # rules S1, E1
    channels: tuple[str, ...]  # subset of CHANNELS (rules E5, T5)
    remote_support: bool  # rule E7
    end_customers_via_reseller: bool  # rule E4
    description: Text | None = None
    senior_staff: bool = False  # rule T6: this tier's complex problems may go to senior staff


@dataclass(frozen=True)
class ClosureRules:
    """When a request closes; None on a field = the charter has no such rule (rules S11-S14, T8)."""

    failed_contacts: int | None = None
    failed_contacts_within_business_days: int | None = None
    awaiting_customer_business_days: int | None = None
    awaiting_customer_reminder_business_days: int | None = None
    close_while_awaiting_files: bool = False
    mutual_agreement: bool = False
    director_review_business_days: int | None = None
    confirmation_window_business_days: int | None = None


@dataclass(frozen=True)
class Phone:
    number: str
    label: Text
    urgent_only: bool = False  # rule P5: phone only for urgent cases
    tiers: tuple[str, ...] = ()  # empty = every tier that may phone


@dataclass(frozen=True)
class Vendor:
    name: str
    website: str | None
    support_url: str | None  # the vendor's own support platform, when it has one
    email: str | None  # the general support address
    info_email: str | None
    phones: tuple[Phone, ...]
    line_emails: Mapping[str, str]  # rule P5: one support address per product line

    def email_for_line(self, line: str | None) -> str | None:
        """The support address of a product line, else the general one (rule P5)."""
        return self.line_emails.get(line or "", self.email)


@dataclass(frozen=True)
class VersionPolicy:
    """Which versions are supported (rules E8, G6, T9, T11); see portal.domain.lifecycle."""

    kind: str  # one of POLICY_KINDS
    n: int | None = None  # n_minus: how many versions before the current one stay supported
    months: int | None = None  # previous_for_months: support of a version after its successor's release
    withdrawn_on_successor: bool = False  # rule T11: withdrawn from sale once its successor is out
    unsupported_allows: tuple[str, ...] = ()  # request categories still open to an unsupported version
    explanation: Text | None = None


@dataclass(frozen=True)
class Topic:
    id: str
    label: Text


@dataclass(frozen=True)
class OutOfScopeTopic:
    """What support does not do, why, and what is offered instead (rules S3, E8, E10, G8, P10)."""

    id: str
    label: Text
    explanation: Text
    alternative: str  # one of ALTERNATIVES
    keywords: Mapping[str, tuple[str, ...]]  # per language, for an intake form to match


@dataclass(frozen=True)
class Choice:
    id: str
    label: Text


@dataclass(frozen=True)
class Fact:
    """One thing a request must or may carry (rules P4, G5, E6)."""

    id: str
    label: Text
    kind: str  # one of FACT_KINDS
    required: bool
    categories: tuple[str, ...] = ()  # empty = every category
    help: Text | None = None
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class Category:
    """A kind of request (rule P8)."""

    id: str
    label: Text
    description: Text


@dataclass(frozen=True)
class Severity:
    level: int
    label: Text


@dataclass(frozen=True)
class Survey:
    """The satisfaction survey sent on closure (rule G3)."""

    enabled: bool = False
    scale: int = 5
    dissatisfied_at_or_below: int = 2
    question: Text | None = None


@dataclass(frozen=True)
class RemoteTool:
    """A remote-support tool a customer downloads (rule G10)."""

    id: str
    name: str
    tiers: tuple[str, ...]
    file_name: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class ProfessionalServices:
    """Paid time credit, bought in blocks of hours (rule E11)."""

    enabled: bool = False
    blocks_hours: tuple[int, ...] = ()  # empty = no fixed blocks (quoted on request)
    description: Text | None = None


@dataclass(frozen=True)
class TrainingPrice:
    """One training offer and its price (rule P12)."""

    id: str
    label: Text
    amount: float
    currency: str
    unit: str  # "person_day" | "day"
    from_people: int | None = None  # this price applies from this many participants
    note: Text | None = None


@dataclass(frozen=True)
class Contacts:
    """Designated contacts the customer names, and whether they must be trained first (rule P2)."""

    designated_roles: tuple[str, ...] = ()
    training_required: bool = False


@dataclass(frozen=True)
class ContractRenewal:
    """How a support contract starts and renews (rule P1)."""

    first_year_included: bool = False
    automatic_renewal: bool = False
    renewal_months: int = 12
    notice_months: int | None = None
    proof_each_period: bool = False


@dataclass(frozen=True)
class Attachments:
    max_megabytes: int
    allowed_types: tuple[str, ...]


DEFAULT_ATTACHMENTS = Attachments(10, ("pdf", "png", "jpg", "txt", "zip"))


@dataclass(frozen=True)
class Retention:
    """How long a closed request, its history and its files are kept after it closed (GDPR art. 5(1)(e),
    Law 25): the retention purge deletes them once this many months have passed."""

    closed_requests_months: int = 72


@dataclass(frozen=True)
class Charter:
    """Everything the portal applies for one vendor."""

    id: str
    name: str
    timezone: str
    holiday_country: str | None
    holiday_subdivision: str | None
    extra_closed_dates: tuple[datetime.date, ...]
    weekly_hours: Mapping[int, tuple[OpeningInterval, ...]]  # 0 = Monday ... 6 = Sunday
    customer_hours: Mapping[int, tuple[OpeningInterval, ...]]  # rules S5, S6
    tiers: tuple[Tier, ...]
    channel_priority: tuple[str, ...]  # rule P5
    closure: ClosureRules
    commitments: Mapping[tuple[str, int], Commitment] = field(default_factory=dict)
    default_language: str = "fr"
    languages: tuple[str, ...] = ("fr",)  # the languages support staff speak (rule T5)
    vendor: Vendor | None = None
    severities: tuple[Severity, ...] = ()
    version_policy: VersionPolicy = VersionPolicy("all_releases")
    in_scope: tuple[Topic, ...] = ()
    out_of_scope: tuple[OutOfScopeTopic, ...] = ()
    categories: tuple[Category, ...] = ()
    facts: tuple[Fact, ...] = ()
    survey: Survey = Survey()
    remote_tools: tuple[RemoteTool, ...] = ()
    professional_services: ProfessionalServices = ProfessionalServices()
    training_prices: tuple[TrainingPrice, ...] = ()
    contacts: Contacts = Contacts()
    contract: ContractRenewal = ContractRenewal()
    attachments: Attachments = DEFAULT_ATTACHMENTS
    retention: Retention = Retention()
    # rules T2, P1, P3: the tier a company files on when no contract in force covers the product (it has none,
    # or they ended); None = such a company is refused (rules S1, E1)
    without_contract_tier: str | None = None
    source: str = ""

    def tier(self, tier_id: str) -> Tier:
        """The tier with this id.

        :raise UnknownTier: when the charter has no such tier.
        """
        for tier in self.tiers:
            if tier.id == tier_id:
                return tier
        raise UnknownTier(tier_id, tuple(tier.id for tier in self.tiers))

    @property
    def tier_without_contract(self) -> Tier | None:
        """Rules T2, P1, P3: the tier a customer without a contract in force files on; None: such a customer is
        refused (S1, E1)."""
        return self.tier(self.without_contract_tier) if self.without_contract_tier else None

    def senior_staff_for(self, tier_id: str) -> bool:
        """Rule T6: whether a request of this tier may go to senior staff: where some tier reserves that access,
        only those tiers; elsewhere any (a senior colleague is then the team's own practice)."""
        reserved = [tier.id for tier in self.tiers if tier.senior_staff]
        return not reserved or tier_id in reserved

    def commitment(self, tier_id: str, severity: int) -> Commitment:
        """The response commitment for a tier and severity; kind "none" where the charter commits to none (G1).

        :raise UnknownTier: when the charter has no such tier.
        """
        self.tier(tier_id)
        return self.commitments.get((tier_id, severity), NO_COMMITMENT)

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(category_id)

    def facts_for(self, category_id: str) -> tuple[Fact, ...]:
        """The facts a request of this category carries, in the charter's order (rules P4, G5, E6)."""
        return tuple(fact for fact in self.facts if not fact.categories or category_id in fact.categories)

    def remote_tools_for(self, tier_id: str) -> tuple[RemoteTool, ...]:
        """The remote-support tools offered to a tier (rules E7, G10)."""
        if not self.tier(tier_id).remote_support:
            return ()
        return tuple(tool for tool in self.remote_tools if tier_id in tool.tiers)


# --- loading --------------------------------------------------------------------------------------


def list_presets() -> tuple[str, ...]:
    """The ids of the charters shipped with the portal, `example` (the default template) first."""
    ids = sorted(path.stem for path in PRESETS_DIR.glob("*.toml"))
    return tuple(sorted(ids, key=lambda charter_id: charter_id != "example"))


def preset_path(charter_id: str) -> Path:
    return PRESETS_DIR / f"{charter_id}.toml"


def load_charter(ref: str | Path) -> Charter:
    """Load a charter from a preset id ("exer") or a path to a .toml file, validating all of it.

    :raise CharterError: listing every problem (file, key, what is wrong).
    """
    path = _resolve(ref)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CharterError([CharterProblem(str(path), "", f"cannot be read ({error.strerror})")]) from None
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise CharterError([CharterProblem(str(path), "", "is not UTF-8 text")]) from None
    except tomllib.TOMLDecodeError as error:
        raise CharterError([CharterProblem(str(path), "", f"is not valid TOML: {error}")]) from None
    return parse_charter(document, str(path))


def _resolve(ref: str | Path) -> Path:
    text = str(ref)
    if isinstance(ref, Path) or text.endswith(".toml") or "/" in text or "\\" in text:
        return Path(ref)
    if preset_path(text).is_file():
        return preset_path(text)
    raise CharterError([CharterProblem(text, "", f"no such charter; presets: {', '.join(list_presets())}")])


def parse_charter(document: Mapping[str, Any], source: str = "<charter>") -> Charter:
    """Validate a parsed TOML document and build the charter.

    :raise CharterError: listing every problem.
    """
    reader = _Reader(source)
    charter = _CharterBuilder(reader, document).build()
    if reader.problems:
        raise CharterError(reader.problems)
    return charter


_MISSING = object()


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class _Reader:
    """Typed reads from a TOML document that record every problem instead of stopping at the first."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[CharterProblem] = []
        self.default_language = "fr"

    def problem(self, key: str, message: str) -> None:
        self.problems.append(CharterProblem(self.source, key, message))

    def table(self, value: Any, path: str, required: tuple[str, ...] = (), optional: tuple[str, ...] = ()):
        """The table at `path`, after reporting its unknown and missing keys; None when not a table."""
        if not isinstance(value, dict):
            self.problem(path, f"must be a table, not {_kind(value)}")
            return None
        allowed = required + optional
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; expected one of: {', '.join(allowed)}"
                self.problem(_join(path, key), f"unknown key{hint}")
        for key in required:
            if key not in value:
                self.problem(_join(path, key), "is missing")
        return value

    def tables(self, value: Any, path: str) -> list[tuple[str, dict]]:
        """A list of tables (TOML [[...]]) as (path, table) pairs."""
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            self.problem(path, f"must be a list of tables, not {_kind(value)}")
            return []
        pairs = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                pairs.append((_join(path, index), item))
            else:
                self.problem(_join(path, index), f"must be a table, not {_kind(item)}")
        return pairs

    def get(self, table: Mapping | None, key: str, path: str, kind, default=_MISSING, **options):
        if table is None or key not in table:
            return None if default is _MISSING else default
        return kind(self, table[key], _join(path, key), **options)

    # value checkers: each returns the value, or None after recording a problem

    def string(self, value, path):
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.problem(path, "must be a non-empty string")
        return None

    def identifier(self, value, path):
        if isinstance(value, str) and _ID.match(value):
            return value
        self.problem(path, "must be an id: lower-case letters, digits, '_' or '-', starting with a letter")
        return None

    def boolean(self, value, path):
        if isinstance(value, bool):
            return value
        self.problem(path, f"must be true or false, not {_kind(value)}")
        return None

    def integer(self, value, path, minimum: int = 0, maximum: int | None = None):
        if isinstance(value, int) and not isinstance(value, bool) and value >= minimum and (
                maximum is None or value <= maximum):
            return value
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        self.problem(path, f"must be a whole number {bounds}, not {value!r}")
        return None

    def number(self, value, path):
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return float(value)
        self.problem(path, f"must be a positive number, not {value!r}")
        return None

    def date(self, value, path):
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        self.problem(path, f"must be a date YYYY-MM-DD, not {value!r}")
        return None

    def choice(self, value, path, allowed: tuple[str, ...]):
        if isinstance(value, str) and value in allowed:
            return value
        self.problem(path, f"unknown value {value!r}; expected one of: {', '.join(allowed)}")
        return None

    def strings(self, value, path, allowed: tuple[str, ...] | None = None, unique: bool = True):
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(path, "must be a list of strings")
            return ()
        for index, item in enumerate(value):
            if allowed is not None and item not in allowed:
                self.problem(_join(path, index), f"unknown value {item!r}; expected one of: {', '.join(allowed)}")
            if unique and item in value[:index]:
                self.problem(_join(path, index), f"{item!r} is listed twice")
        return tuple(value)

    def integers(self, value, path):
        if isinstance(value, list) and all(isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in value):
            return tuple(value)
        self.problem(path, "must be a list of positive whole numbers")
        return ()

    def email(self, value, path):
        if isinstance(value, str) and re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            return value
        self.problem(path, f"must be an e-mail address, not {value!r}")
        return None

    def text(self, value, path):
        """A user-facing text: a table with a non-empty fr, nl and en."""
        if not isinstance(value, dict):
            self.problem(path, "must be a table of translations {fr = \"...\", nl = \"...\", en = \"...\"}")
            return None
        for language in value:
            if language not in TEXT_LANGUAGES:
                self.problem(_join(path, language), f"unknown language; expected {', '.join(TEXT_LANGUAGES)}")
        ok = True
        for language in TEXT_LANGUAGES:
            item = value.get(language)
            if item is None:
                self.problem(_join(path, language), "translation is missing")
                ok = False
            elif not isinstance(item, str) or not item.strip():
                self.problem(_join(path, language), "must be a non-empty string")
                ok = False
        if not ok:
            return None
        return Text(tuple((language, value[language].strip()) for language in TEXT_LANGUAGES),
                    self.default_language)

    def keywords(self, value, path):
        table = self.table(value, path, required=TEXT_LANGUAGES)
        if table is None:
            return MappingProxyType({})
        return MappingProxyType({language: self.strings(table[language], _join(path, language))
                                 for language in TEXT_LANGUAGES if language in table})


def _kind(value) -> str:
    return {dict: "a table", list: "a list", str: "a string", bool: "a boolean", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)


TOP_LEVEL_REQUIRED = ("id", "name", "timezone", "default_language", "hours", "tiers", "severities",
                      "version_policy", "categories")
TOP_LEVEL_OPTIONAL = ("languages", "vendor", "holidays", "customer_hours", "commitments", "channel_priority",
                      "closure", "scope", "facts", "survey", "remote_tools", "professional_services",
                      "training_prices", "contacts", "contract", "attachments", "retention", "eligibility")


class _CharterBuilder:
    def __init__(self, reader: _Reader, document: Mapping[str, Any]):
        self.r = reader
        self.doc = document

    def build(self) -> Charter | None:
        r = self.r
        top = r.table(dict(self.doc), "", TOP_LEVEL_REQUIRED, TOP_LEVEL_OPTIONAL) or {}
        default_language = r.get(top, "default_language", "default_language", _Reader.choice,
                                  allowed=TEXT_LANGUAGES)
        r.default_language = default_language or "fr"
        languages = r.get(top, "languages", "languages", _Reader.strings, default=(r.default_language,),
                          allowed=TEXT_LANGUAGES)
        timezone = r.get(top, "timezone", "timezone", _Reader.string)
        if timezone is not None:
            self._check_timezone(timezone)
        country, subdivision, closed_dates = self._holidays(top.get("holidays", _MISSING))
        weekly_hours = self._hours(top.get("hours", {}), "hours")
        customer_hours = (self._hours(top["customer_hours"], "customer_hours") if "customer_hours" in top
                          else weekly_hours)
        tiers = self._tiers(top.get("tiers", _MISSING))
        tier_ids = tuple(tier.id for tier in tiers)
        in_scope, out_of_scope = self._scope(top.get("scope", _MISSING))
        categories = self._categories(top.get("categories", _MISSING))
        category_ids = tuple(category.id for category in categories)
        charter = Charter(
            id=r.get(top, "id", "id", _Reader.identifier) or "",
            name=r.get(top, "name", "name", _Reader.string) or "",
            timezone=timezone or "UTC",
            holiday_country=country,
            holiday_subdivision=subdivision,
            extra_closed_dates=closed_dates,
            weekly_hours=weekly_hours,
            customer_hours=customer_hours,
            tiers=tiers,
            channel_priority=r.get(top, "channel_priority", "channel_priority", _Reader.strings, default=(),
                                   allowed=CHANNELS),
            closure=self._closure(top.get("closure", _MISSING)),
            commitments=self._commitments(top.get("commitments", _MISSING), tiers),
            default_language=r.default_language,
            languages=languages,
            vendor=self._vendor(top.get("vendor", _MISSING), tier_ids),
            severities=self._severities(top.get("severities", _MISSING)),
            version_policy=self._version_policy(top.get("version_policy", _MISSING), category_ids),
            in_scope=in_scope,
            out_of_scope=out_of_scope,
            categories=categories,
            facts=self._facts(top.get("facts", _MISSING), category_ids),
            survey=self._survey(top.get("survey", _MISSING)),
            remote_tools=self._remote_tools(top.get("remote_tools", _MISSING), tier_ids),
            professional_services=self._professional_services(top.get("professional_services", _MISSING)),
            training_prices=self._training_prices(top.get("training_prices", _MISSING)),
            contacts=self._contacts(top.get("contacts", _MISSING)),
            contract=self._contract(top.get("contract", _MISSING)),
            attachments=self._attachments(top.get("attachments", _MISSING)),
            retention=self._retention(top.get("retention", _MISSING)),
            without_contract_tier=self._without_contract_tier(top.get("eligibility", _MISSING), tiers),
            source=r.source,
        )
        return charter

    # -- calendar

    def _check_timezone(self, name: str) -> None:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            self.r.problem("timezone", f"unknown time zone {name!r}; use an IANA name such as 'Europe/Paris'")

    def _holidays(self, value):
        if value is _MISSING:
            return None, None, ()
        r = self.r
        table = r.table(value, "holidays", optional=("country", "subdivision", "extra_closed_dates"))
        if table is None:
            return None, None, ()
        country = r.get(table, "country", "holidays", _Reader.string)
        subdivision = r.get(table, "subdivision", "holidays", _Reader.string)
        if subdivision is not None and country is None:
            r.problem("holidays.subdivision", "needs holidays.country")
        if country is not None:
            self._check_holiday_region(country, subdivision)
        dates = ()
        if "extra_closed_dates" in table:
            raw = table["extra_closed_dates"]
            if isinstance(raw, list):
                dates = tuple(d for index, item in enumerate(raw)
                              if (d := r.date(item, _join("holidays.extra_closed_dates", index))) is not None)
            else:
                r.problem("holidays.extra_closed_dates", "must be a list of dates")
        return country, subdivision, tuple(sorted(set(dates)))

    def _check_holiday_region(self, country: str, subdivision: str | None) -> None:
        """Check the names against the snapshot of the `holidays` package's countries and subdivisions."""
        from portal.domain.holiday_regions import find_country, known_regions

        alpha2 = find_country(country)
        if alpha2 is None:
            self.r.problem("holidays.country", f"unknown holiday country {country!r} (an ISO code such as 'FR')")
            return
        known = known_regions()[alpha2]["subdivisions"]
        if subdivision is not None and subdivision not in known:
            self.r.problem("holidays.subdivision",
                           f"unknown subdivision {subdivision!r} of {country}; known: {', '.join(known) or 'none'}")

    def _hours(self, value, path: str) -> Mapping[int, tuple[OpeningInterval, ...]]:
        r = self.r
        table = r.table(value, path, optional=WEEKDAYS)
        week: dict[int, tuple[OpeningInterval, ...]] = {}
        if table is None:
            return MappingProxyType(week)
        for day_index, day in enumerate(WEEKDAYS):
            if day not in table:
                continue
            day_path = _join(path, day)
            raw = table[day]
            if not isinstance(raw, list):
                r.problem(day_path, 'must be a list of intervals such as ["08:00-12:00", "13:30-17:30"]')
                continue
            intervals = []
            for index, item in enumerate(raw):
                interval = self._interval(item, _join(day_path, index))
                if interval is not None:
                    intervals.append((index, interval))
            intervals.sort(key=lambda pair: pair[1].start)
            for (_, before), (index, after) in zip(intervals, intervals[1:], strict=False):
                if after.start < before.end:
                    r.problem(_join(day_path, index), f"interval {after} overlaps {before}")
            if intervals:
                week[day_index] = tuple(interval for _, interval in intervals)
        return MappingProxyType(week)

    def _interval(self, value, path: str) -> OpeningInterval | None:
        match = _INTERVAL.match(value) if isinstance(value, str) else None
        if match is None:
            self.r.problem(path, f"bad interval {value!r}; write it as \"HH:MM-HH:MM\", e.g. \"08:00-12:00\"")
            return None
        hour1, minute1, hour2, minute2 = (int(part) for part in match.groups())
        try:
            start, end = datetime.time(hour1, minute1), datetime.time(hour2, minute2)
        except ValueError:
            self.r.problem(path, f"bad time in {value!r}; hours 00-23, minutes 00-59")
            return None
        if end <= start:
            self.r.problem(path, f"interval {value!r} ends before it starts")
            return None
        return OpeningInterval(start, end)

    # -- tiers and commitments

    def _tiers(self, value) -> tuple[Tier, ...]:
        r = self.r
        tiers = []
        seen = set()
        pairs = r.tables(value, "tiers")
        if value is not _MISSING and not pairs:
            r.problem("tiers", "must list at least one tier")
        for position, (path, table) in enumerate(pairs, start=1):
            r.table(table, path, required=("id", "label", "may_open_requests", "channels"),
                    optional=("remote_support", "end_customers_via_reseller", "description", "senior_staff"))
            tier_id = r.get(table, "id", path, _Reader.identifier)
            if tier_id is not None and tier_id in seen:
                r.problem(_join(path, "id"), f"duplicate tier id {tier_id!r}")
            seen.add(tier_id)
            may_open = r.get(table, "may_open_requests", path, _Reader.boolean)
            if may_open and not table.get("channels"):
                r.problem(_join(path, "channels"), "a tier that may open requests needs at least one channel")
            tiers.append(Tier(
                id=tier_id or "",
                label=r.get(table, "label", path, _Reader.text),
                priority=position,
                may_open_requests=bool(may_open),
                channels=r.get(table, "channels", path, _Reader.strings, default=(), allowed=CHANNELS),
                remote_support=bool(r.get(table, "remote_support", path, _Reader.boolean, default=False)),
                end_customers_via_reseller=bool(r.get(table, "end_customers_via_reseller", path, _Reader.boolean,
                                                      default=False)),
                description=r.get(table, "description", path, _Reader.text),
                senior_staff=bool(r.get(table, "senior_staff", path, _Reader.boolean, default=False)),
            ))
        return tuple(tiers)

    def _without_contract_tier(self, value, tiers: tuple[Tier, ...]) -> str | None:
        """Rules T2, P1, P3: `[eligibility] without_contract_tier`, a tier that may open requests and comes after
        every other such tier (a customer under contract never waits behind one without)."""
        r = self.r
        if value is _MISSING:
            return None
        table = r.table(value, "eligibility", optional=("without_contract_tier",))
        tier_id = r.get(table, "without_contract_tier", "eligibility", _Reader.identifier)
        if tier_id is None:
            return None
        path = "eligibility.without_contract_tier"
        by_id = {tier.id: tier for tier in tiers}
        tier = by_id.get(tier_id)
        if tier is None:
            r.problem(path, f"unknown tier {tier_id!r}; tiers: {', '.join(by_id)}")
            return None
        if not tier.may_open_requests:
            r.problem(path, f"tier {tier_id!r} may not open requests (may_open_requests = false): customers "
                            "without a contract could not file on it; leave the key out to refuse them")
            return None
        after = [other.id for other in tiers if other.priority > tier.priority and other.may_open_requests]
        if after:
            r.problem(path, f"tier {tier_id!r} must come after every tier that may open requests, but "
                            f"{', '.join(repr(other) for other in after)} comes after it: a customer under contract "
                            "would wait behind customers without one")
            return None
        return tier_id

    def _commitments(self, value, tiers: tuple[Tier, ...]) -> Mapping[tuple[str, int], Commitment]:
        r = self.r
        tier_ids = tuple(tier.id for tier in tiers)
        may_open = {tier.id: tier.may_open_requests for tier in tiers}
        commitments: dict[tuple[str, int], Commitment] = {}
        if value is _MISSING:
            return MappingProxyType(commitments)
        if not isinstance(value, dict):
            r.problem("commitments", f"must be a table, not {_kind(value)}")
            return MappingProxyType(commitments)
        levels = {str(level) for level in SEVERITIES}
        for tier_id, per_severity in value.items():
            if tier_id not in tier_ids:
                r.problem(_join("commitments", tier_id), f"unknown tier {tier_id!r}; tiers: {', '.join(tier_ids)}")
                continue
            tier_path = _join("commitments", tier_id)
            if not isinstance(per_severity, dict):
                r.problem(tier_path, "must be a table of severities 1 to 4")
                continue
            for key, raw in per_severity.items():
                if key not in levels:
                    r.problem(_join(tier_path, key), "severity must be 1, 2, 3 or 4")
                    continue
                commitment = self._commitment(raw, _join(tier_path, key))
                if commitment is not None and commitment.is_committed and not may_open.get(tier_id, True):
                    r.problem(_join(tier_path, key), f"tier {tier_id!r} may not open requests, so it has no commitment")
                elif commitment is not None:
                    commitments[(tier_id, int(key))] = commitment
        return MappingProxyType(commitments)

    def _commitment(self, value, path: str) -> Commitment | None:
        r = self.r
        table = r.table(value, path, required=("kind",), optional=("hours", "days", "target_business_hours"))
        if table is None:
            return None
        kind = r.get(table, "kind", path, _Reader.choice, allowed=COMMITMENT_KINDS)
        amount_key = {"business_hours": "hours", "business_days": "days"}.get(kind or "")
        amount = None
        for key in ("hours", "days"):
            if key in table and key != amount_key:
                r.problem(_join(path, key), f"does not apply to kind {kind!r}")
        if amount_key is not None:
            if amount_key in table:
                amount = r.number(table[amount_key], _join(path, amount_key))
            else:
                r.problem(_join(path, amount_key), f"is missing (kind {kind!r} needs it)")
        target = r.get(table, "target_business_hours", path, _Reader.number)
        return Commitment(kind or "none", amount, target)

    def _severities(self, value) -> tuple[Severity, ...]:
        r = self.r
        table = r.table(value, "severities", required=tuple(str(level) for level in SEVERITIES)) if (
            value is not _MISSING) else None
        if table is None:
            return ()
        return tuple(Severity(level, label) for level in SEVERITIES
                     if (label := r.get(table, str(level), "severities", _Reader.text)) is not None)

    # -- closure, versions

    def _closure(self, value) -> ClosureRules:
        if value is _MISSING:
            return ClosureRules()
        r = self.r
        numbers = ("failed_contacts", "failed_contacts_within_business_days", "awaiting_customer_business_days",
                   "awaiting_customer_reminder_business_days", "director_review_business_days",
                   "confirmation_window_business_days")
        flags = ("close_while_awaiting_files", "mutual_agreement")
        table = r.table(value, "closure", optional=numbers + flags)
        if table is None:
            return ClosureRules()
        rules = ClosureRules(
            **{name: r.get(table, name, "closure", _Reader.integer, minimum=1) for name in numbers},
            **{name: bool(r.get(table, name, "closure", _Reader.boolean, default=False)) for name in flags},
        )
        if (rules.failed_contacts is None) != (rules.failed_contacts_within_business_days is None):
            r.problem("closure.failed_contacts_within_business_days",
                      "failed_contacts and failed_contacts_within_business_days go together (rule S11)")
        reminder = rules.awaiting_customer_reminder_business_days
        if reminder is not None:
            if rules.awaiting_customer_business_days is None:
                r.problem("closure.awaiting_customer_reminder_business_days",
                          "needs closure.awaiting_customer_business_days")
            elif reminder >= rules.awaiting_customer_business_days:
                r.problem("closure.awaiting_customer_reminder_business_days",
                          "must be fewer days than closure.awaiting_customer_business_days")
        return rules

    def _version_policy(self, value, category_ids: tuple[str, ...]) -> VersionPolicy:
        r = self.r
        if value is _MISSING:
            return VersionPolicy("all_releases")
        table = r.table(value, "version_policy", required=("kind",),
                        optional=("n", "months", "withdrawn_on_successor", "unsupported_allows", "explanation"))
        if table is None:
            return VersionPolicy("all_releases")
        kind = r.get(table, "kind", "version_policy", _Reader.choice, allowed=POLICY_KINDS)
        needs = {"n_minus": "n", "previous_for_months": "months"}.get(kind or "")
        for key in ("n", "months"):
            if key in table and key != needs:
                r.problem(_join("version_policy", key), f"does not apply to kind {kind!r}")
            elif key == needs and key not in table:
                r.problem(_join("version_policy", key), f"is missing (kind {kind!r} needs it)")
        return VersionPolicy(
            kind=kind or "all_releases",
            n=r.get(table, "n", "version_policy", _Reader.integer, minimum=1) if needs == "n" else None,
            months=r.get(table, "months", "version_policy", _Reader.integer, minimum=1)
            if needs == "months" else None,
            withdrawn_on_successor=bool(r.get(table, "withdrawn_on_successor", "version_policy", _Reader.boolean,
                                              default=False)),
            unsupported_allows=r.get(table, "unsupported_allows", "version_policy", _Reader.strings, default=(),
                                     allowed=category_ids),
            explanation=r.get(table, "explanation", "version_policy", _Reader.text),
        )

    # -- scope, categories, facts

    def _scope(self, value) -> tuple[tuple[Topic, ...], tuple[OutOfScopeTopic, ...]]:
        r = self.r
        if value is _MISSING:
            return (), ()
        table = r.table(value, "scope", optional=("in", "out"))
        if table is None:
            return (), ()
        topics = []
        seen: set[str] = set()
        for path, item in r.tables(table.get("in", _MISSING), "scope.in"):
            r.table(item, path, required=("id", "label"))
            topic = Topic(*self._id_and_label(path, item))
            self._unique(topic.id, seen, path)
            topics.append(topic)
        return tuple(topics), self._out_of_scope(table.get("out", _MISSING), seen)

    def _id_and_label(self, path: str, table: dict):
        return (self.r.get(table, "id", path, _Reader.identifier) or "", self.r.get(table, "label", path, _Reader.text))

    def _out_of_scope(self, value, seen: set[str]) -> tuple[OutOfScopeTopic, ...]:
        r = self.r
        topics = []
        for path, item in r.tables(value, "scope.out"):
            r.table(item, path, required=("id", "label", "explanation", "alternative", "keywords"))
            topic_id, label = self._id_and_label(path, item)
            self._unique(topic_id, seen, path)
            topics.append(OutOfScopeTopic(
                topic_id, label, r.get(item, "explanation", path, _Reader.text),
                r.get(item, "alternative", path, _Reader.choice, allowed=ALTERNATIVES) or "none",
                r.get(item, "keywords", path, _Reader.keywords, default=MappingProxyType({}))))
        return tuple(topics)

    def _unique(self, item_id: str, seen: set[str], path: str) -> None:
        if item_id and item_id in seen:
            self.r.problem(_join(path, "id"), f"duplicate id {item_id!r}")
        seen.add(item_id)

    def _categories(self, value) -> tuple[Category, ...]:
        r = self.r
        categories = []
        seen: set[str] = set()
        pairs = r.tables(value, "categories")
        if value is not _MISSING and not pairs:
            r.problem("categories", "must list at least one request category")
        for path, table in pairs:
            r.table(table, path, required=("id", "label", "description"))
            category_id, label = self._id_and_label(path, table)
            self._unique(category_id, seen, path)
            categories.append(Category(category_id, label, r.get(table, "description", path, _Reader.text)))
        return tuple(categories)

    def _facts(self, value, category_ids: tuple[str, ...]) -> tuple[Fact, ...]:
        r = self.r
        facts = []
        seen: set[str] = set()
        for path, table in r.tables(value, "facts"):
            r.table(table, path, required=("id", "label", "kind", "required"),
                    optional=("categories", "help", "choices"))
            fact_id, label = self._id_and_label(path, table)
            self._unique(fact_id, seen, path)
            kind = r.get(table, "kind", path, _Reader.choice, allowed=FACT_KINDS)
            choices = []
            for choice_path, choice in r.tables(table.get("choices", _MISSING), _join(path, "choices")):
                r.table(choice, choice_path, required=("id", "label"))
                choices.append(Choice(*self._id_and_label(choice_path, choice)))
            if kind == "choice" and len(choices) < 2:
                r.problem(_join(path, "choices"), "a choice fact needs at least two choices")
            elif kind not in (None, "choice") and choices:
                r.problem(_join(path, "choices"), f"only a choice fact has choices, not kind {kind!r}")
            facts.append(Fact(
                fact_id, label, kind or "text", bool(r.get(table, "required", path, _Reader.boolean)),
                r.get(table, "categories", path, _Reader.strings, default=(), allowed=category_ids),
                r.get(table, "help", path, _Reader.text), tuple(choices)))
        return tuple(facts)

    # -- services and contracts

    def _vendor(self, value, tier_ids: tuple[str, ...]) -> Vendor | None:
        r = self.r
        if value is _MISSING:
            return None
        table = r.table(value, "vendor", required=("name",),
                        optional=("website", "support_url", "email", "info_email", "phones", "line_emails"))
        if table is None:
            return None
        phones = []
        for path, item in r.tables(table.get("phones", _MISSING), "vendor.phones"):
            r.table(item, path, required=("number", "label"), optional=("urgent_only", "tiers"))
            phones.append(Phone(r.get(item, "number", path, _Reader.string) or "", r.get(item, "label", path,
                                                                                     _Reader.text),
                                bool(r.get(item, "urgent_only", path, _Reader.boolean, default=False)),
                                r.get(item, "tiers", path, _Reader.strings, default=(), allowed=tier_ids)))
        line_emails = {}
        if "line_emails" in table:
            lines = r.table(table["line_emails"], "vendor.line_emails", optional=tuple(table["line_emails"])
                            if isinstance(table["line_emails"], dict) else ())
            for line, address in (lines or {}).items():
                line_path = _join("vendor.line_emails", line)
                if r.identifier(line, line_path) and r.email(address, line_path):
                    line_emails[line] = address
        return Vendor(
            name=r.get(table, "name", "vendor", _Reader.string) or "",
            website=r.get(table, "website", "vendor", _Reader.string),
            support_url=r.get(table, "support_url", "vendor", _Reader.string),
            email=r.get(table, "email", "vendor", _Reader.email),
            info_email=r.get(table, "info_email", "vendor", _Reader.email),
            phones=tuple(phones),
            line_emails=MappingProxyType(line_emails),
        )

    def _survey(self, value) -> Survey:
        r = self.r
        if value is _MISSING:
            return Survey()
        table = r.table(value, "survey", required=("enabled",),
                        optional=("scale", "dissatisfied_at_or_below", "question"))
        if table is None:
            return Survey()
        enabled = bool(r.get(table, "enabled", "survey", _Reader.boolean))
        scale = r.get(table, "scale", "survey", _Reader.integer, default=5, minimum=2, maximum=10)
        threshold = r.get(table, "dissatisfied_at_or_below", "survey", _Reader.integer, default=2, minimum=1)
        question = r.get(table, "question", "survey", _Reader.text)
        if scale is not None and threshold is not None and threshold >= scale:
            r.problem("survey.dissatisfied_at_or_below", f"must be below the scale ({scale})")
        if enabled and question is None and "question" not in table:
            r.problem("survey.question", "is missing (an enabled survey asks a question)")
        return Survey(enabled, scale or 5, threshold or 2, question)

    def _remote_tools(self, value, tier_ids: tuple[str, ...]) -> tuple[RemoteTool, ...]:
        r = self.r
        tools = []
        seen: set[str] = set()
        for path, table in r.tables(value, "remote_tools"):
            r.table(table, path, required=("id", "name", "tiers"), optional=("file_name", "url"))
            tool_id = r.get(table, "id", path, _Reader.identifier) or ""
            self._unique(tool_id, seen, path)
            tools.append(RemoteTool(tool_id, r.get(table, "name", path, _Reader.string) or "",
                                    r.get(table, "tiers", path, _Reader.strings, default=(), allowed=tier_ids),
                                    r.get(table, "file_name", path, _Reader.string),
                                    r.get(table, "url", path, _Reader.string)))
        return tuple(tools)

    def _professional_services(self, value) -> ProfessionalServices:
        r = self.r
        if value is _MISSING:
            return ProfessionalServices()
        table = r.table(value, "professional_services", required=("enabled",),
                        optional=("blocks_hours", "description"))
        if table is None:
            return ProfessionalServices()
        enabled = bool(r.get(table, "enabled", "professional_services", _Reader.boolean))
        blocks = r.get(table, "blocks_hours", "professional_services", _Reader.integers, default=())
        return ProfessionalServices(enabled, tuple(sorted(blocks)),
                                    r.get(table, "description", "professional_services", _Reader.text))

    def _training_prices(self, value) -> tuple[TrainingPrice, ...]:
        r = self.r
        prices = []
        for path, table in r.tables(value, "training_prices"):
            r.table(table, path, required=("id", "label", "amount", "currency", "unit"),
                    optional=("from_people", "note"))
            price_id, label = self._id_and_label(path, table)
            currency = r.get(table, "currency", path, _Reader.string)
            if currency is not None and not re.fullmatch(r"[A-Z]{3}", currency):
                r.problem(_join(path, "currency"), f"must be an ISO 4217 code such as 'EUR', not {currency!r}")
            prices.append(TrainingPrice(
                price_id, label, r.get(table, "amount", path, _Reader.number) or 0.0, currency or "",
                r.get(table, "unit", path, _Reader.choice, allowed=PRICE_UNITS) or "day",
                r.get(table, "from_people", path, _Reader.integer, minimum=1),
                r.get(table, "note", path, _Reader.text)))
        return tuple(prices)

    def _contacts(self, value) -> Contacts:
        r = self.r
        if value is _MISSING:
            return Contacts()
        table = r.table(value, "contacts", optional=("designated_roles", "training_required"))
        if table is None:
            return Contacts()
        return Contacts(r.get(table, "designated_roles", "contacts", _Reader.strings, default=(),
                              allowed=("system_owner", "deputy")),
                        bool(r.get(table, "training_required", "contacts", _Reader.boolean, default=False)))

    def _contract(self, value) -> ContractRenewal:
        r = self.r
        if value is _MISSING:
            return ContractRenewal()
        table = r.table(value, "contract", optional=("first_year_included", "automatic_renewal", "renewal_months",
                                                     "notice_months", "proof_each_period"))
        if table is None:
            return ContractRenewal()
        return ContractRenewal(
            bool(r.get(table, "first_year_included", "contract", _Reader.boolean, default=False)),
            bool(r.get(table, "automatic_renewal", "contract", _Reader.boolean, default=False)),
            r.get(table, "renewal_months", "contract", _Reader.integer, default=12, minimum=1) or 12,
            r.get(table, "notice_months", "contract", _Reader.integer, minimum=0),
            bool(r.get(table, "proof_each_period", "contract", _Reader.boolean, default=False)),
        )

    def _retention(self, value) -> Retention:
        r = self.r
        if value is _MISSING:
            return Retention()
        table = r.table(value, "retention", optional=("closed_requests_months",))
        if table is None:
            return Retention()
        months = r.get(table, "closed_requests_months", "retention", _Reader.integer, default=72, minimum=1)
        return Retention(months or 72)

    def _attachments(self, value) -> Attachments:
        r = self.r
        if value is _MISSING:
            return DEFAULT_ATTACHMENTS
        table = r.table(value, "attachments", required=("max_megabytes", "allowed_types"))
        if table is None:
            return DEFAULT_ATTACHMENTS
        types = r.get(table, "allowed_types", "attachments", _Reader.strings, default=())
        for index, extension in enumerate(types):
            if not re.fullmatch(r"[a-z0-9]{1,8}", extension):
                r.problem(_join("attachments.allowed_types", index),
                          f"must be a file extension without the dot, such as 'pdf', not {extension!r}")
        return Attachments(r.get(table, "max_megabytes", "attachments", _Reader.integer, minimum=1) or 1, types)
