"""`haven synth`: a realistic synthetic registry written in bulk.

Each person gets a case with a reception on one entry route, and, as its age makes
plausible, an identification decision, a referral to the province's social work centre
(mostly accepted, opening her support and health sections by law), services, follow-up
visits, tasks, timeline events and a hash-chained audit record. About 5% of persons are
registered a second time by another agency (name without diacritics, day and month
sometimes swapped), half of them already merged, half left for the linkage review queue.
"""

import contextlib
import datetime
import random
from collections import defaultdict

from django.db import connections, transaction
from django.utils import timezone

from haven.access import crypto
from haven.access.models import Section, Share
from haven.agencies.models import FrameworkRole, Organisation, OrganisationKind, User
from haven.audit.log import compute_hash
from haven.audit.models import AuditEvent, AuditHead
from haven.cases.models import (
    Case,
    IdentificationDecision,
    Reception,
    ReferenceSequence,
    Task,
    TimelineEvent,
)
from haven.people import identifiers, text
from haven.people.models import Person
from haven.people.names import random_name
from haven.places.models import Commune, Country, Ethnicity, Province
from haven.referrals.actions import age_group
from haven.referrals.models import Referral
from haven.support.models import FollowUpVisit, Service
from haven.synth.writer import BulkLoad, CopyThread, IdAllocator, TableWriter, reset_sequence

ROUTES = [("border_handover", 35), ("police", 25), ("return_from_abroad", 20), ("self_report", 20)]
DESTINATIONS = [
    ("CN", 50),
    ("KH", 20),
    ("MM", 10),
    ("LA", 6),
    ("MY", 5),
    ("TH", 5),
    ("KR", 2),
    ("TW", 2),
]
FORMS = [
    ("forced_marriage", 35),
    ("sexual", 25),
    ("online_scam", 25),
    ("forced_labour", 12),
    ("surrogacy", 3),
]
ETHNICITIES = [("01", 62), ("08", 12), ("03", 8), ("02", 6), ("09", 5), ("07", 4), ("05", 3)]
# Northern border provinces send more persons; every province sends some.
HEAVY_PROVINCES = {
    "15": 8,
    "08": 8,
    "11": 6,
    "12": 6,
    "04": 5,
    "20": 4,
    "14": 4,
    "40": 4,
    "38": 3,
    "91": 4,
}
DUPLICATE_SHARE = 0.05
REFERRAL_BASIS = "Law 53/2024/QH15 Art. 32"
YEARS_BACK = 5


def _weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


def _name_key(fields) -> str:
    """Person.name_key of a synthetic person (no other names): a space, then the folded name."""
    return " " + text.fold(fields["full_name"])


def _strip(value: str) -> str:
    """The name as another agency might type it: no diacritics, any case."""
    return " ".join(w.capitalize() for w in text.fold(value).split())


class Context:
    """Reference rows, organisations and users the generator draws from."""

    def __init__(self):
        self.provinces = list(Province.objects.filter(valid_to__isnull=True))
        self.former = defaultdict(list)
        for former in Province.objects.filter(valid_to__isnull=False):
            self.former[former.successor_id].append(former)
        self.province_weights = [HEAVY_PROVINCES.get(p.code, 1) for p in self.provinces]
        communes = defaultdict(list)
        for pk, province_id in Commune.objects.values_list("pk", "province_id"):
            communes[province_id].append(pk)
        self.communes = communes
        self.countries = {
            c.code: c.pk
            for c in Country.objects.filter(code__in=[d[0] for d in DESTINATIONS] + ["VN"])
        }
        self.ethnicities = {e.code: e.pk for e in Ethnicity.objects.all()}
        self.orgs = {p.code: _province_orgs(p) for p in self.provinces}
        self.mission = Organisation.objects.get_or_create(
            code="synth-mission",
            defaults={
                "name_vi": "Cơ quan đại diện (tổng hợp)",
                "name_en": "Mission (synthetic)",
                "kind": OrganisationKind.MISSION,
                "framework_role": FrameworkRole.FOREIGN_AFFAIRS,
            },
        )[0]
        self.user = User.objects.get_or_create(username="synth", defaults={"is_active": False})[0]


def _province_orgs(province) -> dict[str, Organisation]:
    kinds = {
        "border": (
            OrganisationKind.BORDER_GUARD,
            FrameworkRole.DEFENCE,
            "Biên phòng",
            "Border guards",
        ),
        "police": (OrganisationKind.POLICE, FrameworkRole.PUBLIC_SECURITY, "Công an", "Police"),
        "facility": (
            OrganisationKind.FACILITY,
            FrameworkRole.SOCIAL_AFFAIRS,
            "Trung tâm Công tác xã hội",
            "Social work centre",
        ),
        "commune": (OrganisationKind.COMMUNE, FrameworkRole.OTHER, "UBND xã", "Commune"),
    }
    orgs = {}
    for key, (kind, role, vi, en) in kinds.items():
        org, created = Organisation.objects.get_or_create(
            code=f"synth-{province.code}-{key}",
            defaults={
                "name_vi": f"{vi} {province.name_vi} (tổng hợp)",
                "name_en": f"{en}, {province.name_en} (synthetic)",
                "kind": kind,
                "framework_role": role,
            },
        )
        if created:
            org.provinces.set([province])
        orgs[key] = org
    return orgs


class Generator:
    TABLES = (
        Person,
        Case,
        Reception,
        TimelineEvent,
        IdentificationDecision,
        Service,
        FollowUpVisit,
        Task,
        Share,
        Referral,
        AuditEvent,
    )

    def __init__(self, seed: int = 2026, batch: int = 10_000, bulk: bool = True):
        self.rng = random.Random(seed)
        self.ctx = Context()
        self.ids = IdAllocator()
        # Every table's first id now: once the COPY connection holds the tables (a bulk
        # load locks them), this one must not need to read them.
        for model in self.TABLES:
            self.ids.take(model, 0)
        self.now = timezone.now()
        # Inside a caller's transaction (tests) the rows must go into that transaction;
        # otherwise a second connection writes while this one generates.
        connection = connections["default"]
        self.pipe = (
            CopyThread(bulk=BulkLoad(self.TABLES) if bulk else None)
            if connection.vendor == "postgresql" and not connection.in_atomic_block
            else None
        )
        self.batch = max(batch, 1)  # persons between flushes
        # In TABLES order, which is the order of their foreign keys: flushing in it lets the
        # COPY thread check each key as its rows land.
        self.writers = {m: TableWriter(m, self.pipe) for m in self.TABLES}
        self.sequences = {
            (s.province_code, s.year): s.last_number for s in ReferenceSequence.objects.all()
        }
        head = AuditHead.objects.filter(pk=1).first()
        self.audit_prev = head.last_hash if head else "0" * 64
        self.audit_last_id = head.last_id if head else 0
        self.counts = defaultdict(int)

    # -- one person -------------------------------------------------------------------
    def person(self) -> None:
        rng, ctx = self.rng, self.ctx
        sex = "F" if rng.random() < 0.8 else "M"
        family, middle, given = random_name(rng, sex)
        received = self.now - datetime.timedelta(days=rng.uniform(1, 365 * YEARS_BACK))
        age = rng.choice([14, 15, 16, 17] + list(range(18, 46)))
        born = (received - datetime.timedelta(days=age * 365.25 + rng.randint(0, 364))).date()
        home = rng.choices(ctx.provinces, ctx.province_weights)[0]
        # Before the 2025 reorganisation an address names one of the former provinces.
        home_province = home
        if received.date() < datetime.date(2025, 7, 1) and ctx.former.get(home.pk):
            home_province = rng.choice(ctx.former[home.pk])
        phone = f"09{rng.randint(10**7, 10**8 - 1)}" if rng.random() < 0.6 else ""
        fields = {
            "full_name": f"{family} {middle} {given}",
            "sex": sex,
            "date_of_birth": born,
            "ethnicity_id": ctx.ethnicities[_weighted(rng, ETHNICITIES)],
            "nationality_id": ctx.countries["VN"],
            "home_province_id": home_province.pk,
            "home_commune_id": rng.choice(ctx.communes[home.pk]),
            "phone": phone,
            "home_address": f"Thôn {rng.randint(1, 20)}",
        }
        person_id = self._write_person(fields, received)
        route = _weighted(rng, ROUTES)
        case_id = self._case(person_id, _name_key(fields), sex, home, route, received, born)
        if rng.random() < DUPLICATE_SHARE:
            duplicate = dict(fields, full_name=_strip(fields["full_name"]), phone="")
            if rng.random() < 0.3:
                duplicate["date_of_birth"] = _swap(born)
            later = received + datetime.timedelta(days=rng.uniform(0.5, 20))
            merged = person_id if rng.random() < 0.5 else None
            duplicate_id = self._write_person(duplicate, later, merged_into=merged)
            self._case(duplicate_id, _name_key(duplicate), sex, home, "police", later, born)
            self.counts["duplicates"] += 1
        del case_id

    def _write_person(self, fields, created, merged_into=None) -> int:
        pk = self.ids.take(Person)
        words = text.fold_tokens(fields["full_name"])
        phone = identifiers.normalise_phone(fields["phone"])
        self.writers[Person].add(
            id=pk,
            name_key=_name_key(fields),
            given_key=words[-1][:60],
            birth_year=fields["date_of_birth"].year,
            birth_year_estimated=False,
            phone_index=crypto.blind_index(phone) if phone else "",
            created_at=created,
            merged_into_id=merged_into,
            other_names="",
            languages="",
            needs_interpreter=False,
            **fields,
        )
        self.counts["persons"] += 1
        return pk

    def _reference(self, province_code, year) -> str:
        key = (province_code, year)
        self.sequences[key] = self.sequences.get(key, 0) + 1
        return f"{province_code}-{year}-{self.sequences[key]:05d}"

    def _case(self, person_id, name_key, sex, home, route, received, born, previous=None) -> int:
        rng, ctx = self.rng, self.ctx
        province = home if route != "return_from_abroad" else rng.choice(ctx.provinces[:10])
        orgs = ctx.orgs[province.code]
        owner = {
            "border_handover": orgs["border"],
            "police": orgs["police"],
            "return_from_abroad": ctx.mission,
            "self_report": orgs["commune"],
        }[route]
        case_id = self.ids.take(Case)
        age_days = (self.now - received).days
        is_child = (received.date() - born).days < 18 * 365.25
        age = int((received.date() - born).days // 365.25)
        summary = {
            "age_group": age_group(age),
            "child": is_child,
            "sex": sex,
            "province": province.pk,
        }
        status, identification = self._progress(case_id, owner, orgs, received, age_days, summary)
        self.writers[Case].add(
            id=case_id,
            reference=self._reference(province.code, received.year),
            person_id=person_id,
            name_key=name_key,  # the person's, as Case.save copies it
            owner_id=owner.pk,
            province_id=province.pk,
            status=status,
            identification_status=identification,
            opened_at=received,
            closed_at=received + datetime.timedelta(days=300) if status == "closed" else None,
            previous_case_id=previous,
            return_wish="",
            reintegrated_on=(received + datetime.timedelta(days=90)).date()
            if status in ("follow_up", "closed")
            else None,
        )
        destination = _weighted(rng, DESTINATIONS)
        self.writers[Reception].add(
            id=self.ids.take(Reception),
            case_id=case_id,
            entry_route=route,
            received_by_id=owner.pk,
            recorded_by_id=ctx.user.pk,
            received_at=received,
            province_id=province.pk,
            commune_id=rng.choice(ctx.communes[province.pk]),
            age_at_reception=age,
            is_child=is_child,
            border_kind="land" if route == "border_handover" else "",
            handed_over_by="foreign_authority" if route == "border_handover" else "",
            reported_at="commune" if route == "self_report" else "",
            travel_document_status="needs_document" if route == "return_from_abroad" else "",
            return_country_id=ctx.countries[destination] if route == "return_from_abroad" else None,
            destination_country_id=ctx.countries[destination],
            exploitation_forms=_weighted(rng, FORMS),
            recruitment=rng.choice(["job_offer", "online", "marriage", "acquaintance"]),
            need_food=True,
            need_shelter=rng.random() < 0.7,
            need_medical=rng.random() < 0.5,
            created_at=received,
        )
        for kind in ("opened", "received"):
            self.writers[TimelineEvent].add(
                id=self.ids.take(TimelineEvent),
                case_id=case_id,
                at=received,
                kind=kind,
                actor_id=ctx.user.pk,
                organisation_id=owner.pk,
                data={"synthetic": True},
            )
        self._audit(received, owner.pk, case_id, route)
        self.counts["cases"] += 1
        return case_id

    def _progress(self, case_id, owner, orgs, received, age_days, summary):
        """Decision, services and follow-up as the case's age makes plausible."""
        rng = self.rng
        if age_days < 10 or rng.random() < 0.15:
            self.writers[Task].add(
                id=self.ids.take(Task),
                case_id=case_id,
                kind="identification",
                organisation_id=owner.pk,
                due_at=received + datetime.timedelta(days=30),
            )
            return "received", "undecided"
        decided_on = (received + datetime.timedelta(days=rng.randint(1, 20))).date()
        identification = rng.choices(["victim", "being_identified", "not_victim"], [70, 23, 7])[0]
        self.writers[IdentificationDecision].add(
            id=self.ids.take(IdentificationDecision),
            case_id=case_id,
            status=identification,
            decided_on=decided_on,
            organisation_id=orgs["police"].pk,
            decided_by_id=self.ctx.user.pk,
            governing_law=IdentificationDecision.law_on(decided_on),
            legal_basis="Law 53/2024/QH15 Art. 32",
            in_vietnam=True,
            recorded_at=received,
        )
        if identification == "not_victim":
            return "screening", identification
        summary = {**summary, "identification_status": identification}
        self._referral(case_id, owner, orgs["facility"], received, summary)
        start = decided_on
        days = rng.randint(10, 100)
        for support_type, cost in (("essential_needs", days * 60000), ("medical", 800000)):
            self.writers[Service].add(
                id=self.ids.take(Service),
                case_id=case_id,
                support_type=support_type,
                status="delivered",
                provider_id=orgs["facility"].pk,
                starts_on=start,
                ends_on=start + datetime.timedelta(days=days - 1)
                if support_type == "essential_needs"
                else start,
                cost=cost,
                paid_by_id=orgs["facility"].pk,
                funding_source="provincial budget",
                recorded_by_id=self.ctx.user.pk,
                recorded_at=received,
            )
        if age_days < 120 or identification != "victim":
            return "support", identification
        reintegrated = (received + datetime.timedelta(days=90)).date()
        for months in (1, 3, 6, 12):
            due = reintegrated + datetime.timedelta(days=30 * months)
            done = due < self.now.date() and rng.random() < 0.8
            visit_id = self.ids.take(FollowUpVisit)
            self.writers[FollowUpVisit].add(
                id=visit_id,
                case_id=case_id,
                due_on=due,
                organisation_id=orgs["commune"].pk,
                visited_on=due + datetime.timedelta(days=rng.choice([0, 0, 3, 15]))
                if done
                else None,
                wellbeing="good" if done else "",
                re_trafficking_risk="low" if done else "",
            )
            if not done:
                self.writers[Task].add(
                    id=self.ids.take(Task),
                    case_id=case_id,
                    kind="follow_up_visit",
                    organisation_id=orgs["commune"].pk,
                    due_at=timezone.make_aware(datetime.datetime.combine(due, datetime.time(23))),
                    source=f"support.followupvisit:{visit_id}",
                )
        closed = age_days > 500 and rng.random() < 0.5
        return ("closed" if closed else "follow_up"), identification

    def _referral(self, case_id, owner, facility, received, summary) -> None:
        """The receiving agency refers her to the province's social work centre, which
        mostly accepts (opening support and health by law), sometimes declines."""
        rng = self.rng
        sent = received + datetime.timedelta(days=rng.uniform(0.5, 5))
        if sent > self.now:
            return
        status = rng.choices(["accepted", "completed", "declined"], [25, 65, 10])[0]
        answered = min(sent + datetime.timedelta(days=rng.uniform(0.1, 6)), self.now)
        share_id = None
        if status != "declined":
            share_id = self.ids.take(Share)
            self.writers[Share].add(
                id=share_id,
                case_id=case_id,
                organisation_id=facility.pk,
                sections=",".join(sorted([Section.HEALTH, Section.SUPPORT])),
                basis=Share.Basis.LAW,
                legal_basis=REFERRAL_BASIS,
                created_by_id=self.ctx.user.pk,
                created_at=answered,
            )
        self.writers[Referral].add(
            id=self.ids.take(Referral),
            case_id=case_id,
            kind=Referral.Kind.REFERRAL,
            from_organisation_id=owner.pk,
            to_organisation_id=facility.pk,
            services="essential_needs,medical",
            sections="health,support",
            basis=Share.Basis.LAW,
            legal_basis=REFERRAL_BASIS,
            summary={
                **summary,
                "needs": ["essential_needs", "medical"],
                "languages": [],
                "needs_interpreter": False,
                "care": [],
            },
            note="",
            status=status,
            created_by_id=self.ctx.user.pk,
            created_at=sent,
            due_at=sent + datetime.timedelta(days=5),
            decided_by_id=self.ctx.user.pk,
            decided_at=answered,
            decline_reason=Referral.DeclineReason.NO_PLACE if status == "declined" else "",
            decline_detail="",
            share_id=share_id,
            outcome=Referral.Outcome.DELIVERED if status == "completed" else "",
            feedback="",
            feedback_by_id=self.ctx.user.pk if status == "completed" else None,
            feedback_at=answered + datetime.timedelta(days=30) if status == "completed" else None,
        )
        self.counts["referrals"] += 1

    def _audit(self, at, organisation_id, case_id, route) -> None:
        event = AuditEvent(
            id=self.ids.take(AuditEvent),
            at=at,
            actor_id=self.ctx.user.pk,
            actor_username="synth",
            organisation_id=organisation_id,
            action="reception.create",
            object_type="cases.case",
            object_id=str(case_id),
            ip_address="",
            details={"entry_route": route, "synthetic": True},
            prev_hash=self.audit_prev,
        )
        event.hash = compute_hash(event)
        self.writers[AuditEvent].add(
            **{f.attname: getattr(event, f.attname) for f in AuditEvent._meta.concrete_fields}
        )
        self.audit_prev, self.audit_last_id = event.hash, event.pk

    # -- the whole run ----------------------------------------------------------------
    def run(self, persons: int, progress=None) -> dict:
        say = progress or (lambda message: None)
        step = max(persons // 20, 1)
        if self.pipe is None:
            with transaction.atomic():
                self._generate(persons, step, say)
                self._finish()
            return dict(self.counts)
        self.pipe.say = say
        self.pipe.start()
        try:
            with _lock_timeout(connections["default"]):
                self._generate(persons, step, say)
        except BaseException as exc:
            self.pipe.close(abort=exc)
            raise
        say("committing")
        self.pipe.close(finish=self._finish)
        return dict(self.counts)

    def _generate(self, persons, step, say) -> None:
        for number in range(1, persons + 1):
            self.person()
            if number % self.batch == 0:
                self._flush()
            if number % step == 0:
                say(f"{number:,} / {persons:,} persons")
        self._flush()

    def _flush(self) -> None:
        for writer in self.writers.values():
            writer.flush()

    def _finish(self) -> None:
        """Sequences, reference numbers and the audit head, in the rows' transaction."""
        for model in self.TABLES:
            reset_sequence(model)
        for (code, year), last in self.sequences.items():
            ReferenceSequence.objects.update_or_create(
                province_code=code, year=year, defaults={"last_number": last}
            )
        AuditHead.objects.update_or_create(
            pk=1, defaults={"last_id": self.audit_last_id, "last_hash": self.audit_prev}
        )


@contextlib.contextmanager
def _lock_timeout(connection, seconds: int = 60):
    """While the COPY connection holds the tables it loads, a read of them from this one
    would wait for it forever (it waits for this one's rows): fail instead."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{seconds}s'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


def _swap(day: datetime.date) -> datetime.date:
    try:
        return day.replace(month=day.day, day=day.month)
    except ValueError:
        return day
