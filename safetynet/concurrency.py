"""Optimistic locking from the history tables: nobody silently saves over someone else's change.

A form carries the version it was loaded at (the newest history row of the object); the service
checks it under a row lock before saving. When someone else saved in between, the save is refused
with :class:`EditConflict`, which carries what the other person changed; the form keeps what this
person typed, so nothing is lost."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .history import history_entries


class EditConflict(ValidationError):
    def __init__(self, changes):
        super().__init__(
            _(
                "Someone else saved a change while you were editing. Your input is still in the "
                "form: check it against their change below and save again."
            ),
            code="edit_conflict",
        )
        self.changes = changes


def lock_row(instance) -> None:
    """Lock ``instance``'s row until the transaction ends (``select_for_update``): services that
    read before they write (one open holding, the last admin, …) are serialised through it.
    Does nothing on SQLite, where writers wait for each other anyway (IMMEDIATE).

    ``__class__``, not ``type()``: ``request.user`` is a lazy object that only
    ``__class__`` sees through."""
    instance.__class__._default_manager.select_for_update().filter(pk=instance.pk).values_list(
        "pk"
    ).get()


def latest_version(instance) -> int:
    """The id of the object's newest history row: the version a form was loaded at."""
    return (
        instance.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0
    )


def check_version(instance, expected: int | None) -> None:
    """Refuse the save when the object changed after ``expected`` (``None`` skips the check).

    Call it inside the transaction, after locking the row."""
    if expected is None:
        return
    newer = instance.history.filter(history_id__gt=expected).order_by("-history_id")
    if newer.exists():
        raise EditConflict(history_entries(newer[:10]))


def conflict_response(view, form, conflict: EditConflict, instance):
    """A form view's answer to a refused save: what this person typed stays in the form, the
    form now carries the newest version (the next save is made knowing the other change), and
    the page shows what the other person changed (``includes/conflict.html``)."""
    form.data = form.data.copy()
    form.data["version"] = latest_version(instance)
    form.add_error(None, conflict)
    return view.render_to_response(view.get_context_data(form=form, conflict=conflict.changes))
