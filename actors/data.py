"""The data SafetyNet ships: the kinds of actor of the domain text, and the suggestion rules
that turn the municipality profile's infrastructures into actors the network may need.

Kept as plain data so that the data migration and the tests read the same list."""

# code, category, order, (nl, fr, en), examples (nl, fr, en)
ACTOR_KINDS = [
    (
        "municipal_government",
        "core",
        10,
        ("Gemeentebestuur", "Autorités communales", "Municipal government"),
        ("burgemeester, schepenen", "bourgmestre, échevins", "mayor, aldermen"),
    ),
    (
        "coordinator",
        "core",
        20,
        (
            "Coördinator integraal veiligheidsbeleid",
            "Coordinateur de la politique de sécurité intégrale",
            "Coordinator of integral security policy",
        ),
        ("", "", ""),
    ),
    (
        "administrative_services",
        "core",
        30,
        (
            "Betrokken administratieve diensten",
            "Services administratifs concernés",
            "Administrative services concerned",
        ),
        ("", "", ""),
    ),
    (
        "judicial_authorities",
        "core",
        40,
        ("Gerechtelijke overheden", "Autorités judiciaires", "Judicial authorities"),
        (
            "parket, justitiehuis",
            "parquet, maison de justice",
            "public prosecutor, house of justice",
        ),
    ),
    ("local_police", "core", 50, ("Lokale politie", "Police locale", "Local police"), ("", "", "")),
    (
        "prevention_service",
        "core",
        60,
        ("Preventiedienst", "Service de prévention", "Prevention service"),
        ("", "", ""),
    ),
    (
        "policy_makers",
        "contributing",
        110,
        ("Beleidsverantwoordelijken", "Responsables politiques", "Policy makers"),
        (
            "schepen van welzijn, schepen van jeugd, OCMW-voorzitter",
            "échevin du bien-être, échevin de la jeunesse, président du CPAS",
            "alderman for welfare, alderman for youth, chair of the public social welfare centre",
        ),
    ),
    (
        "municipal_services",
        "contributing",
        120,
        ("Gemeentelijke diensten", "Services communaux", "Municipal services"),
        (
            "jeugd, stedenbouw, mobiliteit, onderwijs, sociale dienst van het OCMW",
            "jeunesse, urbanisme, mobilité, enseignement, service social du CPAS",
            "youth, urban planning, mobility, education, social service of the welfare centre",
        ),
    ),
    (
        "street_workers",
        "contributing",
        130,
        ("Straathoekwerkers", "Travailleurs de rue", "Street workers"),
        ("", "", ""),
    ),
    (
        "organisations",
        "contributing",
        140,
        (
            "Openbare en privéorganisaties",
            "Organisations publiques et privées",
            "Public and private organisations",
        ),
        (
            "kamer van koophandel, handelaarsverenigingen, bemiddelingsdiensten, "
            "begeleidingsdiensten voor minderjarigen",
            "chambre de commerce, associations de commerçants, services de médiation, "
            "services d'accompagnement des mineurs",
            "chamber of commerce, traders' associations, mediation services, support services for minors",
        ),
    ),
    (
        "population",
        "contributing",
        150,
        ("De bevolking", "La population", "The population"),
        (
            "buurtinformatienetwerken, buurtverenigingen, jongerenverenigingen",
            "partenariats locaux de prévention, comités de quartier, associations de jeunesse",
            "neighbourhood information networks, neighbourhood and youth associations",
        ),
    ),
]

# infrastructure, kind code, suggested actor (nl, fr, en), reason (nl, fr, en)
SUGGESTION_RULES = [
    (
        "train_station",
        "organisations",
        (
            "Spoorwegpolitie en NMBS Securail",
            "Police des chemins de fer et SNCB Securail",
            "Railway police and SNCB Securail",
        ),
        (
            "Een station brengt reizigers en pendelaars samen; spoorwegpolitie en Securail bewaken het.",
            "Une gare rassemble voyageurs et navetteurs ; la police des chemins de fer et Securail la surveillent.",
            "A station brings travellers and commuters together; the railway police and Securail guard it.",
        ),
    ),
    (
        "nightlife",
        "organisations",
        ("Horecavereniging", "Association horeca", "Hospitality association"),
        (
            "Een uitgaansbuurt vraagt afspraken met cafés en clubs over sluitingsuren, lawaai en portiers.",
            "Un quartier de sorties demande des accords avec les cafés et clubs sur les heures, le bruit et les portiers.",
            "A nightlife district needs agreements with bars and clubs on closing times, noise and door staff.",
        ),
    ),
    (
        "shopping",
        "organisations",
        ("Handelaarsvereniging", "Association de commerçants", "Traders' association"),
        (
            "Een drukke winkelbuurt heeft de handelaars nodig tegen winkeldiefstal en inbraak.",
            "Un quartier commerçant animé a besoin des commerçants contre le vol à l'étalage et les cambriolages.",
            "A busy shopping area needs its traders against shoplifting and burglary.",
        ),
    ),
    (
        "port",
        "organisations",
        (
            "Scheepvaartpolitie en havenbedrijf",
            "Police de la navigation et autorité portuaire",
            "Maritime police and port authority",
        ),
        (
            "Een haven brengt goederenstromen en smokkelrisico's mee die scheepvaartpolitie en haven volgen.",
            "Un port amène des flux de marchandises et des risques de contrebande suivis par la police de la navigation.",
            "A port brings freight flows and smuggling risks that the maritime police and the port follow.",
        ),
    ),
    (
        "industrial_zone",
        "organisations",
        (
            "Bedrijvenvereniging van de industriezone",
            "Association des entreprises du zoning",
            "Business association of the industrial zone",
        ),
        (
            "Bedrijven op een industriezone delen zorgen over inbraak, diefstal en milieurisico's.",
            "Les entreprises d'un zoning partagent des soucis de cambriolage, de vol et de risques environnementaux.",
            "Companies in an industrial zone share concerns about burglary, theft and environmental risks.",
        ),
    ),
    (
        "schools",
        "municipal_services",
        (
            "Scholen en centrum voor leerlingenbegeleiding",
            "Écoles et centre PMS",
            "Schools and pupil guidance centre",
        ),
        (
            "Scholen zien spijbelen, pesten en drugsgebruik vroeg; ze horen bij preventie.",
            "Les écoles voient tôt le décrochage, le harcèlement et la drogue ; elles font partie de la prévention.",
            "Schools see truancy, bullying and drug use early; they belong in prevention.",
        ),
    ),
    (
        "hospital",
        "organisations",
        (
            "Ziekenhuis (directie en veiligheidsdienst)",
            "Hôpital (direction et service de sécurité)",
            "Hospital (management and security service)",
        ),
        (
            "Een ziekenhuis vangt slachtoffers op en kent agressie op de spoed.",
            "Un hôpital accueille les victimes et connaît l'agressivité aux urgences.",
            "A hospital receives victims and knows aggression in its emergency department.",
        ),
    ),
    (
        "stadium",
        "organisations",
        (
            "Sportclub en supportersvereniging",
            "Club sportif et association de supporters",
            "Sports club and supporters' association",
        ),
        (
            "Wedstrijden brengen menigten en soms supportersgeweld: club en supporters maken afspraken mee.",
            "Les matchs amènent des foules et parfois de la violence : club et supporters s'engagent aussi.",
            "Matches bring crowds and sometimes supporter violence: club and supporters take part in agreements.",
        ),
    ),
    (
        "events",
        "municipal_services",
        ("Dienst evenementen", "Service des événements", "Events service"),
        (
            "Festivals en evenementen vragen een veiligheidsplan met de organisatoren en hulpdiensten.",
            "Festivals et événements demandent un plan de sécurité avec les organisateurs et les secours.",
            "Festivals and events need a safety plan with the organisers and emergency services.",
        ),
    ),
    (
        "motorway",
        "organisations",
        ("Federale wegpolitie", "Police fédérale de la route", "Federal highway police"),
        (
            "Een op- en afrit maakt rondtrekkende dadersbendes en verkeersongevallen waarschijnlijker.",
            "Un échangeur favorise les bandes itinérantes et les accidents de la route.",
            "A motorway exit makes travelling gangs and road accidents more likely.",
        ),
    ),
    (
        "border",
        "organisations",
        (
            "Grensoverschrijdende politiesamenwerking",
            "Coopération policière transfrontalière",
            "Cross-border police cooperation",
        ),
        (
            "Aan een grens verplaatsen problemen zich over de grens; samenwerking met de buren is nodig.",
            "À une frontière, les problèmes passent la frontière ; il faut coopérer avec les voisins.",
            "At a border, problems cross it; cooperation with the neighbours is needed.",
        ),
    ),
    (
        "parks",
        "municipal_services",
        (
            "Groendienst en parkwachters",
            "Service des espaces verts et gardiens de parc",
            "Parks service and park wardens",
        ),
        (
            "Grote parken vragen toezicht tegen overlast, vandalisme en sluikstort.",
            "Les grands parcs demandent une surveillance contre les nuisances, le vandalisme et les dépôts.",
            "Large parks need supervision against nuisance, vandalism and fly-tipping.",
        ),
    ),
    (
        "reception_centre",
        "organisations",
        (
            "Opvangcentrum (Fedasil of Rode Kruis)",
            "Centre d'accueil (Fedasil ou Croix-Rouge)",
            "Reception centre (Fedasil or Red Cross)",
        ),
        (
            "Een opvangcentrum is een partner voor samenleven, integratie en de veiligheid van bewoners.",
            "Un centre d'accueil est un partenaire pour le vivre-ensemble et la sécurité des résidents.",
            "A reception centre is a partner for living together, integration and residents' safety.",
        ),
    ),
    (
        "prison",
        "judicial_authorities",
        (
            "Gevangenisdirectie en justitiehuis",
            "Direction de la prison et maison de justice",
            "Prison management and house of justice",
        ),
        (
            "Een gevangenis brengt vrijlatingen en bezoekersstromen mee die justitiehuis en directie kennen.",
            "Une prison amène des libérations et des visiteurs que la maison de justice et la direction connaissent.",
            "A prison brings releases and visitors that the house of justice and the management know about.",
        ),
    ),
]


def load_shipped(ActorKind, HistoricalActorKind, SuggestionRule, HistoricalSuggestionRule, reason):  # noqa: N803
    """Create the shipped kinds and rules that are missing, each with its history row.

    Takes the models as arguments: the data migration passes its historical models, the demo
    seeder the real ones (a test database flushed between tests loses migration data)."""
    from django.utils import timezone

    now = timezone.now()
    kinds = {}
    for code, category, order, (nl, fr, en), (ex_nl, ex_fr, ex_en) in ACTOR_KINDS:
        fields = {
            "category": category,
            "order": order,
            "name_nl": nl,
            "name_fr": fr,
            "name_en": en,
            "examples_nl": ex_nl,
            "examples_fr": ex_fr,
            "examples_en": ex_en,
        }
        kind, created = ActorKind.objects.get_or_create(
            municipality=None, code=code, defaults=fields
        )
        kinds[code] = kind
        if created:
            HistoricalActorKind.objects.create(
                id=kind.id,
                municipality_id=None,
                code=code,
                history_date=now,
                history_type="+",
                history_change_reason=reason,
                **fields,
            )
    for infrastructure, kind_code, (nl, fr, en), (r_nl, r_fr, r_en) in SUGGESTION_RULES:
        fields = {
            "name_fr": fr,
            "name_en": en,
            "reason_nl": r_nl,
            "reason_fr": r_fr,
            "reason_en": r_en,
        }
        rule, created = SuggestionRule.objects.get_or_create(
            infrastructure=infrastructure,
            name_nl=nl,
            defaults=dict(kind=kinds[kind_code], **fields),
        )
        if created:
            HistoricalSuggestionRule.objects.create(
                id=rule.id,
                infrastructure=infrastructure,
                kind_id=rule.kind_id,
                name_nl=nl,
                history_date=now,
                history_type="+",
                history_change_reason=reason,
                **fields,
            )


def ensure_shipped() -> None:
    from .models import ActorKind, SuggestionRule

    load_shipped(
        ActorKind,
        ActorKind.history.model,
        SuggestionRule,
        SuggestionRule.history.model,
        reason="Shipped with SafetyNet",
    )
