from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Integral security plans")

    def ready(self):
        from safetynet.constants import Role
        from safetynet.permissions import register_role_permissions
        from safetynet.registry import (
            DashboardPanel,
            NavEntry,
            PageLink,
            register_dashboard_panel,
            register_demo_seeder,
            register_nav_entry,
            register_page_link,
            register_scale_seeder,
        )

        from . import demo, panels, scale

        content = [
            "plan",
            "goal",
            "goalphenomenon",
            "actionplan",
            "actionplanpartner",
            "expectedresult",
            "action",
            "resource",
            "indicator",
            "discussion",
            "phenomenon",
        ]
        decisions = ["plantransition", "voteround", "roundelector", "councildecision"]
        # Phase 4: reports and measurements (written by promotors on their own action plans
        # through their personal grant, by the coordinator through the role), evaluations.
        steering = ["progressreport", "measurement", "goalevaluation"]
        read = [f"plans.view_{model}" for model in content + decisions + steering]
        edit = [
            f"plans.{verb}_{model}" for model in content for verb in ("add", "change", "delete")
        ]
        # The consultation: the coordinator moderates and answers (remarks carry senders'
        # personal data); everyone reads the answers (the antwoordnota).
        consultation = [
            f"plans.{verb}_{model}"
            for model in ("remark", "response")
            for verb in ("view", "add", "change")
        ]
        register_role_permissions(
            {
                **{role: ["plans.view_response"] for role in Role.values},
                Role.COORDINATOR: consultation,
            }
        )
        register_role_permissions(
            {
                # The coordinator makes the plan and moves it along; the college votes; the
                # council secretary records the council's decision; everyone else reads.
                # Promotors edit their own action plans through personal grants.
                Role.COORDINATOR: [
                    *read,
                    *edit,
                    "plans.submit_plan",
                    "plans.withdraw_plan",
                    "plans.close_consultation",
                    "plans.close_plan",
                    "plans.view_votes",
                    "plans.change_voteround",
                    # Obstacles put before the mayor (who answers as the college's chair).
                    "plans.add_escalation",
                    "plans.view_escalation",
                ],
                Role.COLLEGE: [
                    *read,
                    "plans.vote_plan",
                    "plans.view_votes",
                    "plans.view_escalation",
                ],
                Role.COUNCIL_SECRETARY: [*read, "plans.add_councildecision", "plans.view_votes"],
                Role.ADMIN: read,
                Role.CORE_GROUP: read,
                Role.PROMOTOR: read,
                Role.VIEWER: read,
            }
        )
        register_dashboard_panel(
            DashboardPanel(
                "votes", "plans/includes/panel_votes.html", panels.votes_waiting, order=100
            )
        )
        register_dashboard_panel(
            DashboardPanel(
                "reports-due",
                "plans/includes/panel_reports_due.html",
                panels.reports_due,
                order=110,
            )
        )
        register_dashboard_panel(
            DashboardPanel(
                "steering",
                "plans/includes/panel_steering.html",
                panels.steering_attention,
                order=90,
            )
        )
        register_nav_entry(
            NavEntry("plans", _("Security plans"), "plans:plan-list", "plans.view_plan", 300)
        )
        register_nav_entry(
            NavEntry("monitor", _("Monitor"), "monitor:monitor", "plans.view_plan", 310)
        )
        # On the kerngroep page, under its task "check that promotors carry out their
        # assignments" (coregroup may not import plans: the link is registered from here).
        register_page_link(
            PageLink(
                "coregroup.task.promotors",
                "plans-follow-up",
                _("Follow-up board of the promotors"),
                "plans:follow-up",
                "coregroup.view_followuptask",
            )
        )
        register_page_link(
            PageLink(
                "coregroup.task.strategy",
                "plans-list",
                _("Security plans"),
                "plans:plan-list",
                "plans.view_plan",
            )
        )
        register_demo_seeder("plans", demo.seed, order=300)
        register_scale_seeder("plans", scale.seed, order=300)
        from actors.services import ACCOUNT_LINK_CHANGED

        from .services.content import promotor_account_changed

        if promotor_account_changed not in ACCOUNT_LINK_CHANGED:
            ACCOUNT_LINK_CHANGED.append(promotor_account_changed)
