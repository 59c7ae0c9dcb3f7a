"""The demo: the fictional municipalities Lindenberg and Heidebeek, with a user for every role.

Idempotent (run it as often as you like) and refused when DEBUG is off, so it can never plant
accounts with the password "demo" on a real installation. Later issues extend it."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils.translation import gettext_noop

from safetynet.constants import Infrastructure, Language, Region, Role, TwoFactorPolicy
from safetynet.models import Membership, Municipality, User
from safetynet.permissions import sync_role_groups
from safetynet.registry import demo_seeders
from safetynet.services import (
    membership_create,
    membership_set_chair,
    municipality_create,
    municipality_save,
)

# The demo's published password; seed_demo refuses databases that are not local.
DEMO_PASSWORD = "demo"  # nosec B105
DEMO_REASON = gettext_noop("Demo data")
LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}

MUNICIPALITIES = {
    "lindenberg": {
        "name": "Lindenberg",
        "nis_code": "99001",
        "region": Region.FLANDERS,
        "languages": [Language.DUTCH],
        "population": 48_250,
        "area_km2": "61.40",
        "crime_rate": "52.30",
        "infrastructures": [
            Infrastructure.TRAIN_STATION,
            Infrastructure.NIGHTLIFE,
            Infrastructure.SHOPPING,
            Infrastructure.SCHOOLS,
            Infrastructure.INDUSTRIAL_ZONE,
            Infrastructure.EVENTS,
        ],
        "existing_projects": "Buurtinformatienetwerk Centrum\nStraathoekwerk Stationsbuurt\n"
        "Fietsstraten rond de scholen",
        "police_zone": "PZ Lindenberg-Heidebeek",
        # The demo stays one login away: no second factor (issue 9; real municipalities
        # require it for admins, coordinators, the college and the council secretary).
        "two_factor": TwoFactorPolicy.OFF,
    },
    "heidebeek": {
        "name": "Heidebeek",
        "nis_code": "99002",
        "region": Region.FLANDERS,
        "languages": [Language.DUTCH],
        "population": 21_900,
        "area_km2": "48.75",
        "crime_rate": "31.80",
        "infrastructures": [Infrastructure.MOTORWAY, Infrastructure.PARKS],
        "existing_projects": "",
        "police_zone": "PZ Lindenberg-Heidebeek",
        # The demo stays one login away: no second factor (issue 9; real municipalities
        # require it for admins, coordinators, the college and the council secretary).
        "two_factor": TwoFactorPolicy.OFF,
    },
}

# username: (first name, last name, municipality, roles, chair)
USERS = {
    "admin": ("Ann", "Verbeke", "lindenberg", [Role.ADMIN], False),
    "coordinator": ("Koen", "Claes", "lindenberg", [Role.COORDINATOR], False),
    "burgemeester": ("Marleen", "Peeters", "lindenberg", [Role.COLLEGE, Role.CORE_GROUP], True),
    "schepen1": ("Luc", "Janssens", "lindenberg", [Role.COLLEGE], False),
    "schepen2": ("Sofie", "Maes", "lindenberg", [Role.COLLEGE], False),
    "schepen3": ("Bart", "Jacobs", "lindenberg", [Role.COLLEGE], False),
    "schepen4": ("Nadia", "El Amrani", "lindenberg", [Role.COLLEGE], False),
    "secretaris": ("Pieter", "Willems", "lindenberg", [Role.COUNCIL_SECRETARY], False),
    "kerngroep1": ("Els", "Mertens", "lindenberg", [Role.CORE_GROUP], False),
    "promotor1": ("Tom", "Wouters", "lindenberg", [Role.PROMOTOR], False),
    "promotor2": ("Lies", "Goossens", "lindenberg", [Role.PROMOTOR], False),
    "viewer": ("Jan", "De Smet", "lindenberg", [Role.VIEWER], False),
    "coordinator-heidebeek": ("Hilde", "Vermeulen", "heidebeek", [Role.COORDINATOR], False),
}


class Command(BaseCommand):
    help = "Create or refresh the demo municipalities Lindenberg and Heidebeek (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo plants accounts with the password 'demo': it runs only with DEBUG on."
            )
        host = connection.settings_dict.get("HOST") or ""
        if connection.vendor != "sqlite" and host not in LOCAL_HOSTS and not host.startswith("/"):
            raise CommandError(
                f"seed_demo runs only on a database on this machine, not on {host!r}: "
                "a remote database may be a real installation's."
            )
        # The demo's history is made through the real services, which e-mail people (votes
        # opened, decided) once the transaction commits: nobody is e-mailed by the demo.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            municipalities = {
                slug: self._municipality(slug, data) for slug, data in MUNICIPALITIES.items()
            }
            for username, (first, last, slug, roles, chair) in USERS.items():
                self._user(username, first, last, municipalities[slug], roles, chair)
            self._operator()
            for seeder in demo_seeders():  # each app's demo data: the network, the plans, …
                seeder(municipalities, self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {', '.join(m.name for m in municipalities.values())}; "
                f"{len(USERS) + 1} accounts, password '{DEMO_PASSWORD}'."
            )
        )

    def _municipality(self, slug, data):
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            return municipality_create(by=None, reason=DEMO_REASON, slug=slug, **data)
        if municipality.two_factor != data["two_factor"]:  # a demo made before the setting
            municipality.two_factor = data["two_factor"]
            municipality_save(municipality=municipality, by=None, reason=DEMO_REASON)
        sync_role_groups(municipality)
        return municipality

    def _user(self, username, first, last, municipality, roles, chair):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@{municipality.slug}.example",
                home_municipality=municipality,
            )
            user.set_password(DEMO_PASSWORD)
            user._change_reason = DEMO_REASON
            user.save()
        for role in roles:
            is_chair = chair and role == Role.COLLEGE
            membership = Membership.objects.filter(
                user=user, municipality=municipality, role=role
            ).first()
            if membership is None:
                membership_create(
                    municipality=municipality,
                    user=user,
                    role=role,
                    is_chair=is_chair,
                    by=None,
                    reason=DEMO_REASON,
                )
            elif membership.is_chair != is_chair:
                membership_set_chair(
                    membership=membership, is_chair=is_chair, by=None, reason=DEMO_REASON
                )

    def _operator(self):
        """A platform operator for the Django admin (``/admin/``)."""
        if not User.objects.filter(username="operator").exists():
            user = User(
                username="operator",
                first_name="Platform",
                last_name="Operator",
                email="operator@safetynet.example",
                is_staff=True,
                is_superuser=True,
            )
            user.set_password(DEMO_PASSWORD)
            user._change_reason = DEMO_REASON
            user.save()
