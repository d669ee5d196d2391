"""People, partner companies, their projects, and the managers who serve them."""

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .taxcodes import validate_tax_code, validate_vat_number


class Role(models.TextChoices):
    PARTNER_OWNER = "partner_owner", _("Partner owner")
    PARTNER_MEMBER = "partner_member", _("Partner member")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


PARTNER_ROLES = (Role.PARTNER_OWNER, Role.PARTNER_MEMBER)
# The event of an invitation (outbox), in the partner's stream: the invitation e-mail is sent from it.
USER_INVITED = "user.invited"
# An invitation of an address that has an account with another partner: its holder is told, nothing else happens.
USER_INVITED_ELSEWHERE = "user.invited_elsewhere"
STAFF_ROLES = (Role.MANAGER, Role.ADMIN)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields["role"] = Role.ADMIN
        return self.create_user(email, password, **fields)


class Partner(models.Model):
    """A company under contract whose people file requests about its projects."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("name"), max_length=200, unique=True)
    contract_number = models.CharField(_("contract number"), max_length=50, unique=True)
    contract_date = models.DateField(_("contract date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    calendar = models.ForeignKey(
        "tickets.WorkingCalendar",
        verbose_name=_("working calendar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partners",
        help_text=_("Empty: the default calendar."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VatStatus(models.TextChoices):
    NON_PAYER = "non_payer", _("Not a VAT payer")
    PAYER = "payer", _("VAT payer")


class PartnerRequisites(models.Model):
    """The partner's legal details that its documents (invoices, acts) are made out to; edited by its owner."""

    partner = models.OneToOneField(Partner, on_delete=models.CASCADE, related_name="requisites")
    legal_name = models.CharField(_("legal name"), max_length=300)
    tax_code = models.CharField(
        _("ЄДРПОУ or ІПН"),
        max_length=10,
        validators=[validate_tax_code],
        help_text=_("ЄДРПОУ (8 digits) for a company, ІПН (10 digits) for a sole trader."),
    )
    vat_status = models.CharField(
        _("VAT status"), max_length=10, choices=VatStatus.choices, default=VatStatus.NON_PAYER
    )
    vat_number = models.CharField(
        _("VAT number"), max_length=12, blank=True, validators=[validate_vat_number], help_text=_("VAT payers only.")
    )
    legal_address = models.CharField(_("legal address"), max_length=500)
    accountant_email = models.EmailField(
        _("accountant's e-mail"), blank=True, help_text=_("Invoices and acts are sent here.")
    )
    document_language = models.CharField(
        _("language of documents"), max_length=8, choices=settings.LANGUAGES, default="uk"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("partner requisites")
        constraints = [
            models.CheckConstraint(
                name="requisites_vat_number_iff_payer",
                condition=(Q(vat_status="payer") & ~Q(vat_number="")) | (Q(vat_status="non_payer") & Q(vat_number="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.tax_code})"


class User(AbstractUser):
    """Anyone who logs in, by e-mail: partner people, managers and administrators."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Kyiv")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                name="user_partner_iff_partner_role",
                condition=(Q(role__in=PARTNER_ROLES) & Q(partner__isnull=False))
                | (~Q(role__in=PARTNER_ROLES) & Q(partner__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def save(self, *args, **kwargs):
        # Django's admin site is the administrators' console; nobody else gets in.
        self.is_staff = self.is_superuser = self.role == Role.ADMIN
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.name or self.email

    @property
    def is_partner(self) -> bool:
        return self.role in PARTNER_ROLES

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_support_staff(self) -> bool:
        return self.role in STAFF_ROLES


class ManagerProfile(models.Model):
    """A manager's capacity: the number of projects they may serve at once."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="manager_profile")
    max_projects = models.PositiveSmallIntegerField(_("maximum projects"), default=5)
    deputy = models.ForeignKey(
        User,
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy_for",
        limit_choices_to={"role": Role.MANAGER},
        help_text=_("The manager who takes this manager's new requests during an absence."),
    )
    schedule = models.ForeignKey(
        "tickets.WorkingCalendar",
        verbose_name=_("working hours"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The manager's shifts and breaks. Empty: the default calendar."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(name="manager_cap_positive", condition=Q(max_projects__gte=1)),
            models.CheckConstraint(name="deputy_not_self", condition=~Q(deputy=models.F("user"))),
        ]

    def __str__(self) -> str:
        return f"{self.user} (cap {self.max_projects})"


class Project(models.Model):
    """One client's CRM installation that a partner implements; served by one dedicated manager."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="projects")
    name = models.CharField(_("name"), max_length=200)
    client_name = models.CharField(_("client"), max_length=200, blank=True)
    crm_url = models.URLField(_("CRM URL"), blank=True)
    passport = models.TextField(_("passport (internal notes)"), blank=True)
    manager = models.ForeignKey(
        User,
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_projects",
        limit_choices_to={"role": Role.MANAGER},
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner__name", "name"]
        constraints = [models.UniqueConstraint(fields=["partner", "name"], name="project_name_unique_per_partner")]
        indexes = [models.Index(fields=["manager"], name="project_manager_idx")]

    def __str__(self) -> str:
        return f"{self.partner.name}: {self.name}"


class ProjectAssignment(models.Model):
    """History of who assigned which manager to a project, and when."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assignments")
    manager = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    previous_manager = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.project} -> {self.manager} by {self.actor}"


class Invitation(models.Model):
    """An owner's invitation of a colleague by e-mail address, pending until the colleague sets a password.

    Inviting looks the same whatever the address, so that it tells nobody whether the address has an account with
    another partner: a free address gets an account (`user`) and a link to choose its password; an address taken
    elsewhere gets a notice and nothing else, and its invitation stays pending until withdrawn."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    user = models.OneToOneField(User, on_delete=models.CASCADE, null=True, blank=True, related_name="invitation")
    created_at = models.DateTimeField(_("invited"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["partner", "email"], name="invitation_partner_email")]

    def __str__(self) -> str:
        return f"{self.email} -> {self.partner}"


class LoginToken(models.Model):
    """A token from POST /api/v1/auth/token/, kept as a hash. It expires (LOGIN_TOKEN_TTL), is replaced by a new
    one on refresh, and dies with the password it was issued under (a changed or reset password) or with the
    user's access. Partners' named integration tokens are another thing (integrations.ApiToken)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("starts with"), max_length=12)
    # The user's session auth hash at issue (it changes with the password), as Django does for sessions.
    password_fingerprint = models.CharField(max_length=128)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    client = models.CharField(_("client address"), max_length=64, blank=True)
    user_agent = models.CharField(_("client"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="login_token_user_live")]

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"


class UserSession(models.Model):
    """A browser session opened by logging in, so that its owner sees where they are logged in and can end it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="browser_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(_("logged in"), default=timezone.now)
    client = models.CharField(_("client address"), max_length=64, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


from .absences_models import ABSENCE_UNCOVERED, Absence  # noqa: E402, F401 - defined beside, registered with the app
from .passport_models import PassportRevision  # noqa: E402, F401 - likewise
