import factory
from django.contrib.auth import get_user_model

from federation.models import Department, Membership, Organization, OrganizationKind, Role
from federation.services.imports import NewUnit, organizations_bulk_create

PASSWORD = "thidua2017"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.django.Password(PASSWORD)


def make_unit(
    code: str, name: str, kind: str = OrganizationKind.GRASSROOTS, parent=None, **extra
) -> Organization:
    """Create a unit under ``parent`` (a unit or None for a root)."""
    if parent is None:
        return Organization.objects.add_root(
            create_kwargs=dict(code=code, name=name, kind=kind, **extra)
        )
    parent.refresh_from_db()
    return Organization.objects.add_child(
        parent, create_kwargs=dict(code=code, name=name, kind=kind, **extra)
    )


def make_member(
    unit: Organization, role: str = Role.OFFICER, username: str | None = None, **kwargs
):
    user = UserFactory(username=username) if username else UserFactory(**kwargs)
    department = kwargs.pop("department", None)
    Membership.objects.create(user=user, organization=unit, role=role, department=department)
    return user


def make_department(unit, name="Ban Chính sách - Pháp luật", **kwargs) -> Department:
    return Department.objects.create(organization=unit, name=name, **kwargs)


def bulk_units(parent_code: str, count: int, prefix: str, kind=OrganizationKind.GRASSROOTS) -> int:
    return organizations_bulk_create(
        [
            NewUnit(
                f"{prefix}{i:05d}",
                f"Công đoàn cơ sở {prefix} số {i}",
                kind,
                parent_code,
                member_count=10,
            )
            for i in range(count)
        ]
    )
