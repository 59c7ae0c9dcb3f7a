from django.apps import AppConfig


class TestappConfig(AppConfig):
    """A stand-in domain app, installed only in the test settings, to exercise what every domain
    app will do: a model reaching its municipality, personal grants in a direct table."""

    name = "tests.testapp"
    label = "testapp"

    def ready(self):
        from safetynet.constants import Role
        from safetynet.permissions import register_role_permissions

        register_role_permissions(
            {
                Role.COORDINATOR: ["testapp.view_note", "testapp.change_note"],
                Role.VIEWER: ["testapp.view_note"],
            }
        )
