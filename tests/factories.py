"""factory_boy factories for the whole suite."""

import datetime

import factory

from accounts.models import ManagerProfile, Partner, Project, Role, User

PASSWORD = "correct-horse-battery"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    contract_number = factory.Sequence(lambda n: f"C-{n:05d}")
    contract_date = datetime.date(2026, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"User {n}")
    role = Role.PARTNER_MEMBER
    partner = factory.SubFactory(PartnerFactory)
    password = factory.django.Password(PASSWORD)


class PartnerOwnerFactory(UserFactory):
    role = Role.PARTNER_OWNER


class ManagerFactory(UserFactory):
    role = Role.MANAGER
    partner = None
    phone = "+380 44 123 4567"
    profile = factory.RelatedFactory("tests.factories.ManagerProfileFactory", factory_related_name="user")


class ManagerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManagerProfile

    max_projects = 5


class AdminFactory(UserFactory):
    role = Role.ADMIN
    partner = None


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Project {n}")
    client_name = "Client Ltd"
    manager = factory.SubFactory(ManagerFactory)


class TicketFactory(factory.django.DjangoModelFactory):
    """A ticket in status `new`, created directly (tests of the lifecycle file through tickets.services)."""

    class Meta:
        model = "tickets.Ticket"

    project = factory.SubFactory(ProjectFactory)
    partner = factory.SelfAttribute("project.partner")
    author = factory.SubFactory(UserFactory, partner=factory.SelfAttribute("..project.partner"))
    assignee = factory.SelfAttribute("project.manager")
    kind = "simple"
    title = factory.Sequence(lambda n: f"Request {n}")
    description = "Something needs attention."
