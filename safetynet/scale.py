"""The core's part of ``seed_scale``: a municipality, a user for every role and their
memberships, and the :class:`ScaleRun` every app's scale seeder writes through.

Volume goes in with ``bulk_create_with_history`` (one history record per row, credited to the
municipality's coordinator with the reason "Scale data"); the few domain actions that matter for
permissions (the municipality's role groups, memberships, the chair) go through the services."""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.translation import gettext_noop

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .constants import Infrastructure, Language, Region, Role
from .models import Municipality, User
from .services import membership_create, municipality_create

REASON = gettext_noop("Scale data")
BATCH_SIZE = 1000
SIZES = ("full", "small")

# Actors per municipality; the first one (the benchmark's target) gets a list of 1,000.
ACTORS = {"full": 300, "small": 20}
FIRST_ACTORS = {"full": 1000, "small": 30}
# How many accounts of each role; the first college member is the chair (the mayor).
ACCOUNTS = {
    "full": {
        Role.ADMIN: 1,
        Role.COORDINATOR: 1,
        Role.COLLEGE: 5,
        Role.COUNCIL_SECRETARY: 1,
        Role.CORE_GROUP: 3,
        Role.PROMOTOR: 10,
        Role.VIEWER: 1,
    },
    "small": {
        Role.ADMIN: 1,
        Role.COORDINATOR: 1,
        Role.COLLEGE: 5,
        Role.COUNCIL_SECRETARY: 1,
        Role.CORE_GROUP: 1,
        Role.PROMOTOR: 3,
        Role.VIEWER: 1,
    },
}
# The part of each username after "<slug>-"; numbered when a role has several accounts.
USERNAME = {
    Role.ADMIN: "admin",
    Role.COORDINATOR: "coordinator",
    Role.COLLEGE: "college",
    Role.COUNCIL_SECRETARY: "secretary",
    Role.CORE_GROUP: "kerngroep",
    Role.PROMOTOR: "promotor",
    Role.VIEWER: "viewer",
}
FIRST_NAMES = [
    "An", "Bart", "Carine", "Dirk", "Els", "Filip", "Greet", "Hans", "Ilse", "Jan", "Karen",
    "Luc", "Marleen", "Nico", "Olga", "Peter", "Rita", "Stijn", "Tine", "Wim", "Yasmina", "Zoë",
]  # fmt: skip
LAST_NAMES = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
    "Wouters", "De Smet", "Dubois", "Lambert", "Hermans", "Aerts", "Segers", "Vermeulen",
]  # fmt: skip
NIS_BASE = 98000  # the demo's are 99001 and 99002


def slug_of(index: int) -> str:
    return f"scale-{index:03d}"


def nis_code_of(index: int) -> str:
    return str(NIS_BASE + index)


def username_of(slug: str, role: str, number: int, count: int) -> str:
    suffix = USERNAME[role] + (str(number) if count > 1 else "")
    return f"{slug}-{suffix}"


@dataclass
class ScaleRun:
    """One municipality being seeded: what the apps' seeders need, and the rows they made."""

    index: int
    municipality: Municipality
    size: str
    actors: int
    users: dict[str, list[User]]
    rng: random.Random
    today: datetime.date = field(default_factory=timezone.localdate)
    rows: int = 0
    reason: str = REASON

    @property
    def slug(self) -> str:
        return self.municipality.slug

    @property
    def coordinator(self) -> User:
        """Who the bulk rows' history credits: the coordinator keeps the data up to date."""
        return self.users[Role.COORDINATOR][0]

    @property
    def mayor(self) -> User:
        return self.users[Role.COLLEGE][0]

    def bulk(self, model, objs, *, by=None, reason: str = "") -> list:
        """Insert ``objs`` with one history record each; returns them with their ids."""
        objs = list(objs)
        if not objs:
            return objs
        created = bulk_create_with_history(
            objs,
            model,
            batch_size=BATCH_SIZE,
            default_user=by or self.coordinator,
            default_change_reason=reason or self.reason,
        )
        self.rows += len(created)
        return created

    def bulk_update(self, model, objs, fields, *, by=None, reason: str = "") -> None:
        """Update ``fields`` of ``objs``, each change in history."""
        objs = list(objs)
        if objs:
            bulk_update_with_history(
                objs,
                model,
                fields,
                batch_size=BATCH_SIZE,
                default_user=by or self.coordinator,
                default_change_reason=reason or self.reason,
            )


def seed_core(*, index: int, size: str, actors: int, password_hash: str) -> ScaleRun:
    """The municipality (with its role groups) and its accounts, each with their roles."""
    slug = slug_of(index)
    rng = random.Random(index)  # noqa: S311  # nosec B311 (the same data each run)
    municipality = municipality_create(
        by=None,
        reason=REASON,
        slug=slug,
        name=f"Schaaldorp {index:03d}",
        nis_code=nis_code_of(index),
        region=Region.FLANDERS,
        languages=[Language.DUTCH],
        population=rng.randrange(8_000, 90_000),
        area_km2=f"{rng.randrange(1500, 15000) / 100:.2f}",
        crime_rate=f"{rng.randrange(1500, 9000) / 100:.2f}",
        infrastructures=rng.sample(list(Infrastructure.values), 5),
        existing_projects="Buurtinformatienetwerk Centrum\nStraathoekwerk",
        police_zone=f"PZ Schaaldorp {index:03d}",
    )
    accounts = []
    for role, count in ACCOUNTS[size].items():
        for number in range(1, count + 1):
            username = username_of(slug, role, number, count)
            accounts.append(
                (
                    role,
                    User(
                        username=username,
                        first_name=rng.choice(FIRST_NAMES),
                        last_name=rng.choice(LAST_NAMES),
                        email=f"{username}@{slug}.example",
                        language=Language.DUTCH,
                        home_municipality=municipality,
                        password=password_hash,
                    ),
                )
            )
    created = bulk_create_with_history(
        [user for _role, user in accounts],
        User,
        batch_size=BATCH_SIZE,
        default_change_reason=REASON,
    )
    users: dict[str, list[User]] = {role: [] for role in ACCOUNTS[size]}
    for (role, _user), user in zip(accounts, created, strict=True):
        users[role].append(user)
    # Through the service, one membership at a time: the role groups follow at once.
    for role, holders in users.items():
        for number, user in enumerate(holders):
            chair = role == Role.COLLEGE and number == 0
            membership_create(
                municipality=municipality, user=user, role=role, is_chair=chair, by=None,
                reason=REASON,
            )  # fmt: skip
    # The mayor sits in the kerngroep too, as in the demo.
    membership_create(
        municipality=municipality, user=users[Role.COLLEGE][0], role=Role.CORE_GROUP, by=None,
        reason=REASON,
    )  # fmt: skip
    users[Role.CORE_GROUP].insert(0, users[Role.COLLEGE][0])
    run = ScaleRun(
        index=index, municipality=municipality, size=size, actors=actors, users=users, rng=rng
    )
    run.rows += 1 + len(created)
    return run


def hash_password(password: str) -> str:
    """Hashed once for every account of the run (PBKDF2 per account would take minutes)."""
    return make_password(password)
