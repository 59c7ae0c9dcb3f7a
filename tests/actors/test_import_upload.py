"""The actor import's upload: a request declaring more than the limit is refused before its body
is read (413, the form with the message), and no actor is added."""

import pytest

from actors import transfer
from actors.models import Actor
from safetynet.uploads import FORM_ALLOWANCE
from tests.actors.test_transfer import login, url
from tests.safetynet.test_uploads import Unreadable

pytestmark = pytest.mark.django_db


def test_a_request_declaring_too_much_is_refused_unread(client, coordinator, lindenberg):
    login(client, coordinator)
    response = client.post(
        url("actors-import"),
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(transfer.MAX_BYTES + FORM_ALLOWANCE + 1),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert "The file is larger than 2 MB." in response.content.decode()
    assert response.context["form"].errors["file"]
    assert not Actor.objects.exists()


def test_a_viewer_gets_403_not_the_size_message(client, viewer):
    """Who may not import learns nothing about the limit."""
    client.force_login(viewer)
    response = client.post(
        url("actors-import"),
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(transfer.MAX_BYTES * 10),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 403
