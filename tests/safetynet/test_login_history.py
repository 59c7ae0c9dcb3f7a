from django.urls import reverse

from tests.auth_support import login_form


def test_logging_in_records_the_time_but_adds_no_history_row(client, coordinator):
    before = coordinator.history.count()

    response = client.post(reverse("login"), login_form("coordinator", "demo"))

    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.last_login is not None
    assert coordinator.history.count() == before
