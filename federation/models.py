from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from emulation.text import search_key


class OrganizationKind(models.TextChoices):
    NATIONAL = "national", _("National confederation")
    PROVINCIAL = "provincial", _("Provincial federation")
    LOCAL = "local", _("District or commune federation")
    SECTOR = "sector", _("Sector union")
    UPPER = "upper", _("Upper-level union")
    GRASSROOTS = "grassroots", _("Grassroots union")


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    LEADER = "leader", _("Leader")
    STAFF = "staff", _("Department staff")
    COUNCIL = "council", _("Council member")


# Roles that see and act on a unit's whole subtree.
SUBTREE_ROLES = (Role.LEADER, Role.STAFF)
# Kinds of unit whose staff are "provincial staff" (the Policy-Law Department and above).
PROVINCIAL_KINDS = (OrganizationKind.NATIONAL, OrganizationKind.PROVINCIAL)


def organization_search_key(name: str, short_name: str, code: str) -> str:
    return search_key(f"{name} | {short_name} | {code}")[:400]


def subtree_q(unit, prefix: str = "", *, using: str = DEFAULT_DB_ALIAS) -> Q:
    """The condition "the unit (reached through ``prefix``, e.g. ``"organization__"``) is
    ``unit`` or below it": the rule of a subtree, written once. ``unit`` is a unit or its path.

    On PostgreSQL ``LIKE 'path%'`` walks the ``varchar_pattern_ops`` index that Django adds to
    the unique path column. SQLite cannot use an index for ``LIKE`` on a column of the default
    BINARY collation (its LIKE optimisation needs a NOCASE index), so it would read the whole
    table: 25 ms per query at 130,000 units. There a range on the same column, which adds
    nothing to the result (every path under ``path`` lies between ``path`` and ``path``
    followed by the alphabet's last letter up to the column's length), lets SQLite walk the
    path index. Not for a root: its subtree is the whole table, which SQLite reads faster in
    one scan than through the index (205 ms against 170 ms for the national unit page at
    130,000 units).
    """
    path = unit if isinstance(unit, str) else unit.path
    condition = Q(**{f"{prefix}path__startswith": path})
    if connections[using].vendor == "sqlite" and len(path) > Organization.steplen:
        longest = Organization._meta.get_field("path").max_length
        last = path + Organization.alphabet[-1] * (longest - len(path))
        condition &= Q(**{f"{prefix}path__gte": path, f"{prefix}path__lte": last})
    return condition


def subtrees_q(units, prefix: str = "", *, using: str = DEFAULT_DB_ALIAS) -> Q:
    """The condition "the unit (reached through ``prefix``) is in the subtree of one of
    ``units``" (units or paths; none: no unit)."""
    condition = Q(pk__in=[])
    for unit in units:
        condition |= subtree_q(unit, prefix, using=using)
    return condition


def children_q(unit, prefix: str = "", *, using: str = DEFAULT_DB_ALIAS) -> Q:
    """The condition "the unit (reached through ``prefix``) is directly below ``unit``" (a unit
    or its path), a range of the ``(depth, path)`` index."""
    path = unit if isinstance(unit, str) else unit.path
    depth = len(path) // Organization.steplen
    return Q(**{f"{prefix}depth": depth + 1}) & subtree_q(path, prefix, using=using)


class OrganizationQuerySet(MP_NodeQuerySet):
    def search(self, query: str):
        """Units whose name, short name or code contains ``query``, accents and case ignored."""
        return self.filter(search_key__contains=search_key(query))

    def active(self):
        return self.filter(is_active=True)

    def subtree_of(self, org: "Organization"):
        """The unit and every unit below it, in one indexed prefix query (see
        :func:`subtree_q`)."""
        return self.filter(subtree_q(org, using=self.db))

    def children_of(self, org: "Organization"):
        """The unit's direct children, a range of the ``(depth, path)`` index."""
        return self.filter(children_q(org, using=self.db))

    def visible_to(self, user):
        """The units whose data ``user`` may see.

        A member sees its own unit; a leader or staff member sees the unit's whole subtree; a
        superuser sees everything. Nobody sees a sibling's data.
        """
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        condition = Q(pk__in=[])
        for membership in memberships_of(user):
            if membership.role in SUBTREE_ROLES:
                condition |= subtree_q(membership.organization_path, using=self.db)
            else:
                condition |= Q(pk=membership.organization_id)
        return self.filter(condition)


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    def get_queryset(self):
        return OrganizationQuerySet(self.model).order_by("path")


class Organization(MP_Node):
    """A unit of the union: the national confederation, a provincial federation, a district,
    commune or sector union, an upper-level union or a grassroots union. The tree has any depth.
    """

    steplen = 4
    node_order_by = None

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganizationKind.choices)
    member_count = models.PositiveIntegerField(_("members"), default=0)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Name, short name and code without accents, for searches typed with or without them.
    search_key = models.CharField(max_length=400, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_units",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationManager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [
            models.Index(fields=["kind"]),
            models.Index(fields=["name"]),
            # The children of a unit (depth = d + 1 and path under the unit's) as a range of
            # this index instead of a read of the whole subtree: 0.1 ms instead of 4.7 ms for
            # the 34 children of a 5,000-unit province on PostgreSQL. The pattern operator
            # class lets PostgreSQL use it for LIKE 'path%'; SQLite uses it with the range
            # that ``subtree_q`` adds.
            models.Index(
                fields=["depth", "path"],
                name="organization_depth_path",
                opclasses=["int4_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from federation import rollups

        self.search_key = organization_search_key(self.name, self.short_name, self.code)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        counts = update_fields is None or bool(rollups.COUNTED_FIELDS & set(update_fields))
        before = None
        if counts and self.pk is not None:
            # Read from the database, not from the instance, which may be stale.
            stored = (
                Organization.objects.filter(pk=self.pk)
                .values_list("kind", "is_active", "member_count")
                .first()
            )
            before = rollups.own(*stored) if stored else None
        with transaction.atomic():
            super().save(*args, **kwargs)
            if counts:
                after = rollups.own(self.kind, self.is_active, self.member_count)
                rollups.changed(self.path, before, after)

    def get_absolute_url(self) -> str:
        return reverse("federation:unit-detail", kwargs={"pk": self.pk})

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_grassroots(self) -> bool:
        return self.kind == OrganizationKind.GRASSROOTS

    @property
    def parent_path(self) -> str:
        return self.path[: -self.steplen]

    def ancestors_chain(self):
        """The units above this one, from the root down (one query)."""
        paths = [self.path[:i] for i in range(self.steplen, len(self.path), self.steplen)]
        return Organization.objects.filter(path__in=paths).order_by("depth")

    def parent_unit(self):
        if self.depth <= 1:
            return None
        return Organization.objects.filter(path=self.parent_path).first()


class AllowedChildKind(models.Model):
    """One kind of unit that may stand directly under units of another kind: the hierarchy's
    rule as data, kept by the administrators, checked whenever a unit is added, imported,
    moved or changes kind (see :mod:`federation.kinds`)."""

    parent_kind = models.CharField(
        _("kind of the unit above"), max_length=16, choices=OrganizationKind.choices
    )
    child_kind = models.CharField(
        _("kind of the unit below"), max_length=16, choices=OrganizationKind.choices
    )

    class Meta:
        verbose_name = _("allowed kind below a kind")
        verbose_name_plural = _("allowed kinds below each kind")
        ordering = ["parent_kind", "child_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent_kind", "child_kind"], name="allowed_child_kind_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_parent_kind_display()} → {self.get_child_kind_display()}"


class Department(models.Model):
    """A department of a unit, e.g. Ban Chính sách - Pháp luật of the provincial federation."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="departments",
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    email = models.EmailField(_("mailbox"), blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="department_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} - {self.organization.display_name}"


class Membership(models.Model):
    """A person's role in a unit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization__path", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} - {self.organization.display_name}"


class _MembershipView:
    """The few fields of a membership that permission checks need, cached per user object."""

    __slots__ = ("organization_id", "organization_path", "organization_kind", "role")

    def __init__(self, organization_id, organization_path, organization_kind, role):
        self.organization_id = organization_id
        self.organization_path = organization_path
        self.organization_kind = organization_kind
        self.role = role


def memberships_of(user) -> list[_MembershipView]:
    """The user's memberships in active units, read once per user object (one query)."""
    cached = getattr(user, "_membership_cache", None)
    if cached is None:
        rows = Membership.objects.filter(user=user, organization__is_active=True).values_list(
            "organization_id", "organization__path", "organization__kind", "role"
        )
        cached = [_MembershipView(*row) for row in rows]
        user._membership_cache = cached
    return cached


class BranchUnitCount(models.Model):
    """How many active units of one kind a branch holds (the branch itself included) and their
    members: kept up to date by :mod:`federation.rollups` on every change to the tree, so that
    a page about a unit reads its children's rows instead of counting their subtrees."""

    branch = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="unit_counts")
    kind = models.CharField(max_length=16, choices=OrganizationKind.choices)
    units = models.IntegerField(db_default=0)
    members = models.BigIntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["branch", "kind"], name="branch_unit_count_key")
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.kind}: {self.units}"
