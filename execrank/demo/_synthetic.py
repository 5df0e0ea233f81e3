"""Seeded generator of the demo's synthetic events, intent signals and relationships.

What: given execrank-native `contacts.csv` and `companies.csv`, write `events.csv`,
`signals.csv` and `relationships.csv` in execrank's native columns.

Why synthetic: no public source of sales engagement, intent texts or referrals may be shipped
(the public press-release and job-posting sets state no licence; see `data/PROVENANCE.md`).
The people and companies are real; their activity here is made up. Every row says so:
`source` is `synthetic`, ids start with `syn-`, urls point under
`https://example.invalid/synthetic/`.

Determinism: one `random.Random(seed)` drives every choice and every time is `as_of` minus a
drawn offset, all within the 365 days before `as_of` (the end included). Same inputs, seed and
`as_of` give byte-identical files. The shape of the data is the module-level tables below:

- Engagement: about 12% of contacts get one short burst (up to 30 days) of 1–12 events, mostly
  email opens and web visits, fewer clicks, downloads and webinars, rarely roundtables, replies
  or meetings. Assets come from short lists, so the same asset often repeats.
- Relationships: about 3% of contacts get one, with a made-up customer or partner company
  ("Contoso", "青岚智造科技有限公司") as referrer.
- Intent: about 30% of companies get 1–3 news items or job postings, and about 1.5% of contacts
  a post or speech. About a third of the texts name a topic of the default model; the rest are
  dividends, results dates, appointments and near misses ("modernize its IT estate").
  Chinese companies get Chinese texts 85% of the time, others English.
- Featured: 4 US CEOs and 4 Chinese chairmen (董事长) are "hot" (meeting and reply to sales in
  the last weeks, downloads, topical company news); 2 of each are "silent executives" whose only
  trace is one recent meeting (no other events, signals or relationships; their company gets no
  news or job postings either).

Texts come from the templates in `TEMPLATES`, written in the style of press releases, stock
exchange announcements (公告) and job postings; none is copied from a real text.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal, TypeVar

from execrank.errors import InputError

EVENT_COLUMNS = ("event_id", "contact_id", "event_type", "asset", "occurred_at", "source")
SIGNAL_COLUMNS = (
    "signal_id", "contact_id", "company_id", "kind", "occurred_at", "url", "title", "text",
    "source",
)  # fmt: skip
RELATIONSHIP_COLUMNS = (
    "relationship_id", "contact_id", "kind", "occurred_at", "referrer", "note", "source",
)  # fmt: skip

# The vocabularies of execrank/defaults/model.yaml (engagement.events, signal kinds, network.kinds).
EVENT_TYPES = (
    "email_open", "email_click", "web_visit", "report_download", "webinar_attended",
    "private_roundtable", "reply_to_sales", "meeting", "deal_comment",
)  # fmt: skip
COMPANY_SIGNAL_KINDS = ("news", "job_posting")
CONTACT_SIGNAL_KINDS = ("post", "speech")
SIGNAL_KINDS = (*CONTACT_SIGNAL_KINDS, *COMPANY_SIGNAL_KINDS)
RELATIONSHIP_KINDS = (
    "customer_referral", "partner_referral", "customer_success_project", "shared_association",
)  # fmt: skip

SOURCE = "synthetic"
URL_ROOT = "https://example.invalid/synthetic"
LOOKBACK_DAYS = 365
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
SECONDS_PER_DAY = 86_400

# --- Engagement: most contacts have none; the engaged ones have a short burst of activity.
ENGAGED_CONTACT_SHARE = 0.12
BURST_DAYS = 30
# number of events in a burst -> relative weight (mean about 3)
EVENTS_PER_BURST = {1: 30, 2: 25, 3: 18, 4: 10, 5: 7, 6: 5, 8: 3, 12: 2}
# event type -> relative weight: cheap touches are common, conversations rare
EVENT_TYPE_WEIGHTS = {
    "email_open": 40, "web_visit": 25, "email_click": 14, "report_download": 9,
    "webinar_attended": 6, "private_roundtable": 2, "reply_to_sales": 2, "meeting": 2,
    "deal_comment": 1,
}  # fmt: skip
# Short lists, so a contact often opens the same email or visits the same page twice.
ASSETS = {
    "email_open": ("newsletter-monthly", "campaign-cloud-cost-benchmark", "invite-cio-roundtable",
                   "campaign-data-platform-guide", "newsletter-product-update"),
    "email_click": ("campaign-cloud-cost-benchmark", "campaign-data-platform-guide",
                    "invite-webinar-ai-ops"),
    "web_visit": ("/", "/pricing", "/solutions/cloud-migration", "/solutions/data-platform",
                  "/customers", "/blog/ai-in-finance"),
    "report_download": ("report-state-of-cloud-migration", "report-data-platform-buyers-guide",
                        "whitepaper-ai-governance"),
    "webinar_attended": ("webinar-cloud-finops", "webinar-ai-in-operations",
                         "webinar-data-mesh-in-practice"),
    "private_roundtable": ("roundtable-cio-dinner-new-york", "roundtable-cio-dinner-shanghai",
                           "roundtable-cfo-breakfast"),
    "reply_to_sales": ("reply-intro-email", "reply-follow-up"),
    "meeting": ("meeting-discovery", "meeting-executive-briefing", "meeting-solution-workshop"),
    "deal_comment": ("deal-comment-pricing", "deal-comment-security-review"),
}  # fmt: skip

# --- Relationships
RELATED_CONTACT_SHARE = 0.03
RELATIONSHIP_KIND_WEIGHTS = {
    "customer_referral": 15, "partner_referral": 25, "customer_success_project": 20,
    "shared_association": 40,
}  # fmt: skip
Language = Literal["en", "zh"]
# Made-up customer and partner companies (the English ones are well-known fictional names).
REFERRERS: dict[Language, tuple[str, ...]] = {
    "en": ("Contoso", "Fabrikam", "Northwind Traders", "Tailspin Toys", "Adventure Works",
           "Wide World Importers", "Litware", "Proseware", "Woodgrove Bank", "Fourth Coffee",
           "Lucerne Publishing", "Trey Research", "Humongous Insurance", "Relecloud"),
    "zh": ("青岚智造科技有限公司", "远帆物流集团", "恒曜医药股份有限公司",
           "澄川数据服务有限公司", "北辰精密制造有限公司", "墨池文化传媒有限公司",
           "临溪新能源有限公司", "知岸信息技术有限公司"),
}  # fmt: skip
RELATIONSHIP_NOTES: dict[tuple[str, Language], str] = {
    ("customer_referral", "en"): "Introduced by our customer {referrer}, whose CIO knows {person}.",
    ("customer_referral", "zh"): "由客户{referrer}引荐，对方CIO与{person}相识多年。",
    ("partner_referral", "en"): "Referred by implementation partner {referrer}.",
    ("partner_referral", "zh"): "由实施伙伴{referrer}推荐。",
    ("customer_success_project", "en"): "{person} sponsored a joint project with {referrer}.",
    ("customer_success_project", "zh"): "{person}曾作为发起人参与{referrer}客户成功项目。",
    ("shared_association", "en"): "{person} sits on an industry board with a {referrer} executive.",
    ("shared_association", "zh"): "{person}与{referrer}高管同为行业协会理事。",
}

# --- Intent signals
SIGNALLED_COMPANY_SHARE = 0.30
SIGNALS_PER_COMPANY = {1: 55, 2: 30, 3: 15}
POSTING_CONTACT_SHARE = 0.015
ON_TOPIC_SHARE = 0.35
# company country -> chance that a text is Chinese (any other country: English)
CHINESE_TEXT_SHARE = {"CN": 0.85}

# --- Featured contacts, so that the demo's top 10 has stories to tell
FEATURED_COUNTRIES = ("US", "CN")
# a contact is senior enough to feature when the first part of its title is one of these
FEATURED_TITLES = ("CEO", "Founder & CEO", "董事长")
HOT_PER_COUNTRY = 4
SILENT_PER_COUNTRY = 2
# (event type, most recent day, oldest day) of a hot contact's activity
HOT_EVENTS = (
    ("meeting", 1, 10), ("reply_to_sales", 2, 20), ("report_download", 5, 45),
    ("webinar_attended", 10, 60), ("email_click", 3, 30), ("email_open", 1, 30),
    ("web_visit", 1, 14),
)  # fmt: skip
HOT_SIGNAL_DAYS = (1, 21)
HOT_POST_SHARE = 0.5
HOT_RELATIONSHIP_SHARE = 0.5
SILENT_MEETING_DAYS = (3, 30)


@dataclass(frozen=True)
class Template:
    """One signal text; `on_topic` says whether it names a topic phrase of the default model."""

    kind: str
    language: Language
    on_topic: bool
    title: str
    text: str


def _t(kind: str, language: Language, on_topic: bool, title: str, text: str) -> Template:
    return Template(kind, language, on_topic, title, text)


# Fields: {company}, and {person} in posts and speeches.
TEMPLATES = (
    _t("news", "en", True, "{company} launches multi-year digital transformation program",
       "{company} today announced a multi-year digital transformation program. The company "
       "plans to move to the cloud the core systems that run finance, supply chain and "
       "customer service by the end of next year."),
    _t("news", "en", True, "{company} selects partner for enterprise cloud migration",
       "{company} has selected a strategic partner to lead the cloud migration of more than "
       "400 applications, the company said on Monday. Two data centers will be retired."),
    _t("news", "en", True, "{company} invests in data analytics to sharpen customer insight",
       "{company} said it will expand its data analytics capabilities and build a single data "
       "platform for its business units to improve forecasting and pricing."),
    _t("news", "en", True, "{company} outlines operational efficiency plan",
       "{company} unveiled an operational efficiency program targeting cost reduction of 8% "
       "over two years through process automation and consolidated shared services."),
    _t("news", "en", True, "{company} creates artificial intelligence center of excellence",
       "{company} is establishing an artificial intelligence center of excellence to apply "
       "machine learning across underwriting, operations and customer service."),
    _t("news", "en", False, "{company} to modernize legacy IT estate",
       "{company} said it will replace its ageing mainframe applications with modern software "
       "over the next 18 months, according to people familiar with the plan."),
    _t("news", "en", False, "{company} to report fourth-quarter results",
       "{company} will release its fourth-quarter and full-year financial results before the "
       "market opens, followed by a conference call with analysts."),
    _t("news", "en", False, "{company} declares quarterly dividend",
       "The board of directors of {company} declared a regular quarterly cash dividend, "
       "payable to shareholders of record at the close of business next month."),
    _t("news", "en", False, "{company} appoints new Chief Financial Officer",
       "{company} announced the appointment of a new Chief Financial Officer, effective "
       "immediately. The interim CFO will remain with the company as an adviser."),
    _t("news", "en", False, "{company} opens new regional headquarters",
       "{company} will open a new regional headquarters, bringing together about 1,200 "
       "employees from three offices."),
    _t("job_posting", "en", True, "Head of Data Platform",
       "{company} is hiring a Head of Data Platform to lead 30 engineers building the "
       "company's data platform, with a focus on machine learning in production."),
    _t("job_posting", "en", True, "Director, Cloud Migration",
       "{company} is hiring a Director of Cloud Migration to plan the move to the cloud of our "
       "core business applications. Experience with cloud-native architecture required."),
    _t("job_posting", "en", True, "Senior Manager, Digital Transformation Office",
       "{company} seeks a Senior Manager for its Digital Transformation Office to coordinate "
       "programs across business units and report progress to the executive committee."),
    _t("job_posting", "en", False, "Regional Sales Manager",
       "{company} is hiring a Regional Sales Manager to grow accounts in the Midwest. Five "
       "years of field sales experience required."),
    _t("post", "en", True, "{person} on the next phase of our digital transformation",
       "Proud of the teams at {company}: we finished the first phase of our digital "
       "transformation this year. Next up: data analytics for every store manager."),
    _t("speech", "en", True, "{person} keynote at industry summit",
       "Speaking at an industry summit, {person} of {company} said artificial intelligence and "
       "automation will reshape how the company serves its customers."),
    _t("post", "en", False, "{person} thanks employees after a record year",
       "{person} thanked the employees of {company} for a record year and congratulated the "
       "winners of the annual community service awards."),
    _t("news", "zh", True, "{company}启动数字化转型战略",
       "{company}发布公告称，公司正式启动数字化转型战略，计划三年内推进核心业务系统上云，并建设统一的数据平台。"),
    _t("news", "zh", True, "{company}与云服务商签署战略合作协议",
       "{company}与国内头部云服务商签署战略合作协议，双方将在云原生架构、云迁移和信息安全等领域开展合作。"),
    _t("news", "zh", True, "{company}全面推进降本增效",
       "{company}在年度工作会议上提出全面推进降本增效，重点提升生产线自动化水平，压缩管理层级。"),
    _t("news", "zh", True, "{company}加大人工智能研发投入",
       "{company}表示将加大人工智能和大数据领域的研发投入，推动主营业务数智化升级。"),
    _t("news", "zh", False, "{company}信息化建设项目公开招标",
       "{company}就新一代ERP信息化建设项目进行公开招标，预算金额约为1200万元。"),
    _t("news", "zh", False, "{company}年度权益分派实施公告",
       "{company}董事会审议通过年度利润分配方案，拟向全体股东每10股派发现金红利2.5元（含税）。"),
    _t("news", "zh", False, "{company}关于召开临时股东大会的通知",
       "{company}董事会决定召开临时股东大会，审议关于选举董事及修订公司章程的议案。"),
    _t("news", "zh", False, "{company}关于聘任公司副总经理的公告",
       "{company}董事会同意聘任新任副总经理，任期自董事会审议通过之日起至本届董事会届满之日止。"),
    _t("news", "zh", False, "{company}发布半年度业绩预告",
       "{company}发布业绩预告，预计上半年归属于上市公司股东的净利润同比增长15%至25%。"),
    _t("job_posting", "zh", True, "数据平台负责人",
       "{company}招聘数据平台负责人，负责集团大数据平台的规划与建设，要求十年以上数据架构经验。"),
    _t("job_posting", "zh", True, "云架构师",
       "{company}招聘云架构师，负责核心系统上云及云原生改造，熟悉主流公有云产品。"),
    _t("job_posting", "zh", True, "数字化转型项目经理",
       "{company}招聘数字化转型项目经理，统筹各事业部数字化项目的推进与考核。"),
    _t("job_posting", "zh", False, "区域销售经理",
       "{company}招聘区域销售经理，负责华东地区渠道拓展，要求五年以上销售经验。"),
    _t("speech", "zh", True, "{person}在行业峰会发表主题演讲",
       "{company}{person}在行业峰会上表示，公司将以数字化转型为主线，全面推进降本增效。"),
    _t("speech", "zh", True, "{person}：以人工智能赋能主业",
       "{company}{person}在业绩说明会上介绍，公司已在生产和营销环节引入人工智能与自动化技术。"),
    _t("post", "zh", False, "{person}出席公司年度表彰大会",
       "{company}{person}出席公司年度表彰大会，向获奖员工和优秀团队表示祝贺。"),
)  # fmt: skip

Row = dict[str, str]
_T = TypeVar("_T")


def write_synthetic_inputs(
    contacts_csv: Path, companies_csv: Path, out_dir: Path, *, seed: int, as_of: datetime
) -> dict[str, int]:
    """Write synthetic `events.csv`, `signals.csv`, `relationships.csv`; return their row counts.

    `as_of` is a naive UTC time (an aware one is converted to UTC); every row falls within the
    365 days before it.
    """
    contacts = _read(contacts_csv, ("contact_id", "name", "title", "company_id"))
    companies = {
        row["company_id"]: row for row in _read(companies_csv, ("company_id", "name", "country"))
    }
    generator = _Generator(random.Random(seed), _naive_utc(as_of), companies)
    featured_contacts, featured_companies = generator.add_featured(contacts)
    generator.add_background(contacts, featured_contacts, featured_companies)
    out_dir.mkdir(parents=True, exist_ok=True)
    return {
        "events": _write(out_dir / "events.csv", EVENT_COLUMNS, "syn-ev", generator.events),
        "signals": _write(out_dir / "signals.csv", SIGNAL_COLUMNS, "syn-sig", generator.signals),
        "relationships": _write(
            out_dir / "relationships.csv", RELATIONSHIP_COLUMNS, "syn-rel", generator.relationships
        ),
    }


class _Generator:
    """Draws rows from one random stream; ids, urls and order are set when writing."""

    def __init__(self, rng: random.Random, as_of: datetime, companies: Mapping[str, Row]) -> None:
        self.rng = rng
        self.as_of = as_of
        self.companies = companies
        self.events: list[Row] = []
        self.signals: list[Row] = []
        self.relationships: list[Row] = []

    def add_featured(self, contacts: Sequence[Row]) -> tuple[set[str], set[str]]:
        """Add hot and silent contacts; return their contact ids and company ids."""
        contact_ids: set[str] = set()
        company_ids: set[str] = set()
        for country in FEATURED_COUNTRIES:
            candidates = self._one_senior_per_company(contacts, country)
            picked = self.rng.sample(
                candidates, min(len(candidates), HOT_PER_COUNTRY + SILENT_PER_COUNTRY)
            )
            for contact in picked[:HOT_PER_COUNTRY]:
                self._add_hot(contact)
            for contact in picked[HOT_PER_COUNTRY:]:
                self._add_event(contact, "meeting", *SILENT_MEETING_DAYS)
            contact_ids.update(contact["contact_id"] for contact in picked)
            company_ids.update(contact["company_id"] for contact in picked)
        return contact_ids, company_ids

    def add_background(
        self, contacts: Sequence[Row], skip_contacts: set[str], skip_companies: set[str]
    ) -> None:
        """Add the everyday activity of contacts and companies other than the featured ones."""
        for contact in contacts:
            if contact["contact_id"] in skip_contacts:
                continue
            if self.rng.random() < ENGAGED_CONTACT_SHARE:
                self._add_burst(contact)
            if self.rng.random() < RELATED_CONTACT_SHARE:
                self._add_relationship(contact)
            if self.rng.random() < POSTING_CONTACT_SHARE:
                self._add_signal(contact["company_id"], contact, self._on_topic(), 0, LOOKBACK_DAYS)
        for company_id in sorted(self.companies):
            if company_id in skip_companies or self.rng.random() >= SIGNALLED_COMPANY_SHARE:
                continue
            for _ in range(self._weighted(SIGNALS_PER_COMPANY)):
                self._add_signal(company_id, None, self._on_topic(), 0, LOOKBACK_DAYS)

    def _one_senior_per_company(self, contacts: Sequence[Row], country: str) -> list[Row]:
        chosen: dict[str, Row] = {}
        for contact in contacts:
            company = self.companies.get(contact["company_id"])
            if company is None or company["country"] != country or not contact["name"].strip():
                continue
            if contact["title"].split("/")[0].strip() in FEATURED_TITLES:
                chosen.setdefault(contact["company_id"], contact)
        return list(chosen.values())

    def _add_hot(self, contact: Row) -> None:
        for event_type, newest, oldest in HOT_EVENTS:
            self._add_event(contact, event_type, newest, oldest)
        self._add_signal(contact["company_id"], None, True, *HOT_SIGNAL_DAYS)
        if self.rng.random() < HOT_POST_SHARE:
            self._add_signal(contact["company_id"], contact, True, *HOT_SIGNAL_DAYS)
        if self.rng.random() < HOT_RELATIONSHIP_SHARE:
            self._add_relationship(contact)

    def _add_burst(self, contact: Row) -> None:
        start = self.rng.randrange(LOOKBACK_DAYS)
        for _ in range(self._weighted(EVENTS_PER_BURST)):
            event_type = self._weighted(EVENT_TYPE_WEIGHTS)
            self._add_event(contact, event_type, max(0, start - BURST_DAYS), start + 1)

    def _add_event(self, contact: Row, event_type: str, newest: int, oldest: int) -> None:
        self.events.append({
            "contact_id": contact["contact_id"],
            "event_type": event_type,
            "asset": self.rng.choice(ASSETS[event_type]),
            "occurred_at": self._moment(newest, oldest),
            "source": SOURCE,
        })  # fmt: skip

    def _add_relationship(self, contact: Row) -> None:
        kind = self._weighted(RELATIONSHIP_KIND_WEIGHTS)
        language = self._language(contact["company_id"])
        referrer = self.rng.choice(REFERRERS[language])
        person = contact["name"].strip() or contact["title"]
        self.relationships.append({
            "contact_id": contact["contact_id"],
            "kind": kind,
            "occurred_at": self._moment(0, LOOKBACK_DAYS),
            "referrer": referrer,
            "note": RELATIONSHIP_NOTES[kind, language].format(referrer=referrer, person=person),
            "source": SOURCE,
        })  # fmt: skip

    def _add_signal(
        self, company_id: str, contact: Row | None, on_topic: bool, newest: int, oldest: int
    ) -> None:
        """A company signal when `contact` is None, else a post or speech by the contact."""
        language = self._language(company_id)
        family = CONTACT_SIGNAL_KINDS if contact else COMPANY_SIGNAL_KINDS
        template = self.rng.choice(
            [
                t
                for t in TEMPLATES
                if t.kind in family and t.language == language and t.on_topic is on_topic
            ]
        )
        company = self.companies.get(company_id, {})
        fields = {
            "company": company.get("name", "").strip() or company_id,
            "person": (contact["name"].strip() or contact["title"]) if contact else "",
        }
        self.signals.append({
            "contact_id": contact["contact_id"] if contact else "",
            "company_id": "" if contact else company_id,
            "kind": template.kind,
            "occurred_at": self._moment(newest, oldest),
            "title": template.title.format_map(fields),
            "text": template.text.format_map(fields),
            "source": SOURCE,
        })  # fmt: skip

    def _language(self, company_id: str) -> Language:
        country = self.companies.get(company_id, {}).get("country", "")
        return "zh" if self.rng.random() < CHINESE_TEXT_SHARE.get(country, 0.0) else "en"

    def _on_topic(self) -> bool:
        return self.rng.random() < ON_TOPIC_SHARE

    def _weighted(self, weights: Mapping[_T, int]) -> _T:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _moment(self, newest_day: int, oldest_day: int) -> str:
        """A time between `newest_day` and `oldest_day` days before as_of (never 365 or more)."""
        oldest_day = min(oldest_day, LOOKBACK_DAYS)
        offset = self.rng.randrange(newest_day * SECONDS_PER_DAY, oldest_day * SECONDS_PER_DAY)
        return (self.as_of - timedelta(seconds=offset)).strftime(TIME_FORMAT)


def _naive_utc(as_of: datetime) -> datetime:
    if as_of.tzinfo is not None:
        as_of = as_of.astimezone(UTC).replace(tzinfo=None)
    return as_of.replace(microsecond=0)


def _read(path: Path, required: Sequence[str]) -> list[Row]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            header = reader.fieldnames or []
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot be read as UTF-8 CSV ({error})") from error
    missing = [column for column in required if column not in header]
    if missing:
        raise InputError(f"{path}: the header lacks {', '.join(map(repr, missing))}")
    return rows


def _write(path: Path, columns: Sequence[str], prefix: str, rows: Iterable[Row]) -> int:
    """Sort rows by time (then content), number them `prefix-000001`…, and write them."""
    ordered = sorted(rows, key=lambda row: (row["occurred_at"], *row.values()))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for number, row in enumerate(ordered, 1):
            row_id = f"{prefix}-{number:06d}"
            extra = {"url": f"{URL_ROOT}/{row['kind']}/{row_id}"} if "url" in columns else {}
            writer.writerow({columns[0]: row_id, **row, **extra})
    return len(ordered)
