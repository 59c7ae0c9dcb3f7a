"""The phenomena SafetyNet ships: the ten clusters of the federal framework note on integral
security (Kadernota Integrale Veiligheid). Plain data, so that the data migration and the tests
read the same list; municipalities add their own beside them."""

from django.utils import timezone

# code, order, (nl, fr, en)
PHENOMENA = [
    ("radicalisation", 10, ("Radicalisering", "Radicalisation", "Radicalisation")),
    (
        "human_trafficking",
        20,
        (
            "Mensensmokkel en mensenhandel",
            "Trafic et traite des êtres humains",
            "Human smuggling and trafficking",
        ),
    ),
    ("drugs", 30, ("Drugs", "Drogues", "Drugs")),
    (
        "fraud",
        40,
        ("Sociale en fiscale fraude", "Fraude sociale et fiscale", "Social and tax fraud"),
    ),
    ("cybercrime", 50, ("Cybercrime", "Cybercriminalité", "Cybercrime")),
    (
        "violence",
        60,
        (
            "Geweld en aantasting van de persoonlijke integriteit",
            "Violence et atteintes à l'intégrité de la personne",
            "Violence and violations of personal integrity",
        ),
    ),
    (
        "property_crime",
        70,
        (
            "Georganiseerde eigendomscriminaliteit",
            "Criminalité organisée contre les biens",
            "Organised property crime",
        ),
    ),
    ("environment", 80, ("Leefmilieu", "Environnement", "Environment")),
    ("traffic_safety", 90, ("Verkeersveiligheid", "Sécurité routière", "Traffic safety")),
    ("nuisance", 100, ("Overlast", "Nuisances", "Nuisance")),
]


def load_shipped(Phenomenon, HistoricalPhenomenon, reason):  # noqa: N803
    """Create or update the shipped phenomena (idempotent), with a history row each."""
    for code, order, (nl, fr, en) in PHENOMENA:
        phenomenon, created = Phenomenon.objects.update_or_create(
            municipality=None,
            code=code,
            defaults={"order": order, "name_nl": nl, "name_fr": fr, "name_en": en},
        )
        HistoricalPhenomenon.objects.create(
            id=phenomenon.pk,
            municipality_id=None,
            code=code,
            order=order,
            name_nl=nl,
            name_fr=fr,
            name_en=en,
            history_date=timezone.now(),
            history_type="+" if created else "~",
            history_change_reason=reason,
        )


def ensure_shipped() -> None:
    """For code outside migrations (the demo, tests after a flush)."""
    from .models import Phenomenon

    if Phenomenon.objects.filter(municipality=None).count() < len(PHENOMENA):
        load_shipped(Phenomenon, Phenomenon.history.model, "Shipped phenomena loaded")
