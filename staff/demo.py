"""Demo data: the accounts documented in the README, so that a new user can try every role at once."""

import datetime
from decimal import Decimal

from accounts.models import ManagerProfile, Partner, PartnerRequisites, Project, Role, User
from accounts.services import user_create
from billing.services import deposit_top_up, tariff_for
from tickets.models import CannedReply, ChecklistStep, Kind
from tickets.services import project_assign_manager

DEMO_PASSWORD = "partner-support-demo"  # noqa: S105 (documented demo password)

PARTNERS = [
    {
        "name": "Alpha Integrations",
        "contract_number": "PS-2026-001",
        "projects": ["Alpha Retail CRM", "Alpha Logistics CRM"],
        "deposit": Decimal("1800.00"),
        "requisites": {
            "legal_name": "ТОВ «Альфа Інтеграції»",  # noqa: RUF001 (a Ukrainian company name)
            "tax_code": "31316718",
            "legal_address": "04053, м. Київ, вул. Січових Стрільців, 21",
            "accountant_email": "accountant@alpha.demo.local",
        },
    },
    {
        "name": "Beta Solutions",
        "contract_number": "PS-2026-002",
        "projects": ["Beta Clinic CRM"],
        "deposit": Decimal("360.00"),
        "requisites": {
            "legal_name": "ФОП Бондаренко Богдан Петрович",
            "tax_code": "3012345670",
            "legal_address": "79000, м. Львів, пл. Ринок, 1",
            "accountant_email": "",
        },
    },
]

USERS = [
    {"email": "admin@demo.local", "role": Role.ADMIN, "name": "Olena Admin"},
    {"email": "manager1@demo.local", "role": Role.MANAGER, "name": "Mykola Manager", "phone": "+380 44 000 0001"},
    {"email": "manager2@demo.local", "role": Role.MANAGER, "name": "Iryna Manager", "phone": "+380 44 000 0002"},
    {
        "email": "owner@alpha.demo.local",
        "role": Role.PARTNER_OWNER,
        "partner": "Alpha Integrations",
        "name": "Andrii Alpha",
    },
    {
        "email": "member@alpha.demo.local",
        "role": Role.PARTNER_MEMBER,
        "partner": "Alpha Integrations",
        "name": "Maria Alpha",
    },
    {"email": "owner@beta.demo.local", "role": Role.PARTNER_OWNER, "partner": "Beta Solutions", "name": "Bohdan Beta"},
]

PROJECT_MANAGERS = {"Alpha Integrations": "manager1@demo.local", "Beta Solutions": "manager2@demo.local"}
DEPUTIES = {"manager1@demo.local": "manager2@demo.local", "manager2@demo.local": "manager1@demo.local"}
CHECKLIST = [
    (Kind.SIMPLE, 1, "Reproduce the problem", None, "", ""),
    (Kind.SIMPLE, 2, "Check the project passport", None, "", ""),
    (Kind.SIMPLE, 3, "Answer within 30 working minutes of accepting", 30, "accepted", "answered"),
    (Kind.BUG, 1, "Call the partner back", None, "", ""),
    (Kind.BUG, 2, "Accept within 15 working minutes of filing", 15, "filed", "accepted"),
]
SHARED_REPLY = {
    "title": "Accepted, with the deadline",
    "body_en": "Dear {name}, your request {number} is accepted; it will be resolved by {deadline}.",
    "body_uk": "Вітаємо, {name}! Ваше звернення {number} прийнято; його буде вирішено до {deadline}.",
    "body_ru": "Здравствуйте, {name}! Ваше обращение {number} принято; оно будет решено до {deadline}.",
}


def seed_demo(*, today: datetime.date) -> int:
    """Create what is missing of the demo data; returns how many accounts were created."""
    partners = {}
    for spec in PARTNERS:
        partners[spec["name"]], _ = Partner.objects.get_or_create(
            name=spec["name"], defaults={"contract_number": spec["contract_number"], "contract_date": today}
        )
    created = 0
    for spec in USERS:
        if User.objects.filter(email=spec["email"]).exists():
            continue
        user_create(
            email=spec["email"],
            password=DEMO_PASSWORD,
            role=spec["role"],
            partner=partners.get(spec.get("partner", "")),
            name=spec["name"],
            phone=spec.get("phone", ""),
            max_projects=5 if spec["role"] == Role.MANAGER else None,
        )
        created += 1
    admin = User.objects.get(email="admin@demo.local")
    for spec in PARTNERS:
        manager = User.objects.get(email=PROJECT_MANAGERS[spec["name"]])
        for name in spec["projects"]:
            project, _ = Project.objects.get_or_create(partner=partners[spec["name"]], name=name)
            if project.manager_id is None:
                project_assign_manager(project=project, manager=manager, actor=admin)
        partner = partners[spec["name"]]
        PartnerRequisites.objects.get_or_create(partner=partner, defaults=spec["requisites"])
        tariff_for(partner=partner)
        deposit_top_up(
            partner=partner,
            amount=spec["deposit"],
            actor=admin,
            memo="Opening deposit (demo data)",
            idempotency_key=f"seed:topup:{partner.contract_number}",
        )
    _seed_standard(admin=admin)
    return created


def _seed_standard(*, admin: User) -> None:
    """Each demo manager deputises for the other; a checklist per kind and a shared canned reply to try."""
    for email, deputy in DEPUTIES.items():
        ManagerProfile.objects.filter(user__email=email, deputy__isnull=True).update(
            deputy=User.objects.get(email=deputy)
        )
    if not ChecklistStep.objects.exists():
        ChecklistStep.objects.bulk_create(
            ChecklistStep(kind=kind, position=position, title=title, minutes=minutes, start=start, fact=fact)
            for kind, position, title, minutes, start, fact in CHECKLIST
        )
    CannedReply.objects.get_or_create(
        owner=None, title=SHARED_REPLY["title"], defaults={**SHARED_REPLY, "created_by": admin}
    )
