"""The integral security plan: its structure, its workflow records, its college votes and the
council decision. Every model declares ``MUNICIPALITY_PATH`` and keeps its history."""

from .consultation import Remark, Response
from .permissions import ActionPlanUserObjectPermission, PlanUserObjectPermission
from .steering import Escalation, GoalEvaluation, Measurement, ProgressReport, ReportReminder
from .structure import (
    Action,
    ActionPlan,
    ActionPlanPartner,
    Discussion,
    ExpectedResult,
    Goal,
    GoalPhenomenon,
    Indicator,
    Phenomenon,
    Plan,
    Resource,
)
from .votes import CouncilDecision, PlanTransition, RoundElector, Vote, VoteRound

__all__ = [
    "ReportReminder",
    "ProgressReport",
    "Measurement",
    "GoalEvaluation",
    "Escalation",
    "Action",
    "ActionPlan",
    "ActionPlanPartner",
    "ActionPlanUserObjectPermission",
    "CouncilDecision",
    "Discussion",
    "ExpectedResult",
    "Goal",
    "GoalPhenomenon",
    "Indicator",
    "Phenomenon",
    "Plan",
    "Remark",
    "Response",
    "PlanTransition",
    "PlanUserObjectPermission",
    "Resource",
    "RoundElector",
    "Vote",
    "VoteRound",
]
