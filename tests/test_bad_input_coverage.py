"""Every page of the URLconf that takes a POST has a bad-input case (tests/*/test_bad_input.py),
or is named here with the reason it has none: a new form cannot slip past the property tests."""

from django.urls import URLPattern, URLResolver, get_resolver

from tests.actors.test_bad_input import CASES as ACTOR_CASES
from tests.coregroup.test_bad_input import CASES as COREGROUP_CASES
from tests.plans.test_bad_input import CASES as PLAN_CASES
from tests.plans.test_bad_input import PUBLIC_CASES
from tests.safetynet.test_bad_input import CASES as CORE_CASES

# POST pages without a case, and why.
WITHOUT_A_CASE = {
    # django-two-factor-auth's wizards and pages: their only inputs are a one-time code, a
    # recovery code or a confirmation box, tested with real devices in
    # tests/safetynet/test_two_factor.py.
    "two_factor:login": "the same page as 'login' (its second step is the code)",
    "two_factor:setup": "a wizard keeping its state in the session, tested with a device",
    "two_factor:backup_tokens": "a button (new recovery codes), behind the second factor",
    "two_factor:disable": "a confirmation box, behind the second factor",
    # The operator's Django admin: Django's own forms, for the platform operator only.
    "admin-login": "Django's admin login (the operator's)",
}


def post_routes() -> set[str]:
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith("admin/") and pattern.namespace == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
                continue
            assert isinstance(pattern, URLPattern)
            view = getattr(pattern.callback, "view_class", None)
            takes_post = (
                view is not None and "post" in view.http_method_names and hasattr(view, "post")
            ) or pattern.name == "set_language"
            if takes_post:
                yield f"{namespace}{pattern.name}"

    return set(walk(get_resolver().url_patterns))


def test_every_post_of_the_urlconf_has_a_bad_input_case():
    cases = CORE_CASES + ACTOR_CASES + COREGROUP_CASES + PLAN_CASES + PUBLIC_CASES
    covered = {case.route for case in cases}
    assert all(case.route for case in cases)
    missing = post_routes() - covered - set(WITHOUT_A_CASE)
    assert not missing, f"POST pages without a case in tests/*/test_bad_input.py: {missing}"
    assert not (covered & set(WITHOUT_A_CASE))
    assert set(WITHOUT_A_CASE) <= post_routes(), "a page listed without a case is gone"
