"""Give every adoption round that has none its document, the same way a submission does: once,
from the round's stored snapshot (plans adopted before documents existed). Idempotent."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext_noop

from plans.constants import RoundKind
from plans.documents import adopted_document
from plans.models import VoteRound
from safetynet.history import validated_save


class Command(BaseCommand):
    help = "Render the document of every adoption round that has none yet (once)."

    def handle(self, *args, **options):
        rounds = VoteRound.objects.filter(kind=RoundKind.ADOPTION, document__isnull=True)
        made = 0
        for vote_round in rounds.select_related("plan__municipality").order_by("pk"):
            with transaction.atomic():
                vote_round.document = adopted_document(vote_round)
                validated_save(vote_round, None, gettext_noop("Document to adopt prepared"))
            made += 1
        self.stdout.write(f"Adoption documents made: {made}.")
