"""A list of choices stored as JSON: works the same on PostgreSQL and SQLite."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class ChoiceListField(models.JSONField):
    """A list of distinct codes from ``item_choices``, shown as a checklist.

    Stores codes, never labels; history and pages show the labels (``labels_for``)."""

    def __init__(self, *args, item_choices=None, **kwargs):
        self.item_choices = item_choices
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        kwargs["blank"] = self.blank  # Django leaves out blank=False, our default is True
        return name, path, args, kwargs

    def clean(self, value, model_instance):
        """Validate, then keep the codes in the checklist's order: ticking the same boxes in
        another order is no change (and shows none in the history)."""
        value = super().clean(value, model_instance)
        order = {code: index for index, (code, _label) in enumerate(self.item_choices)}
        return sorted(value, key=order.__getitem__)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValidationError(_("Choose from the list."), code="invalid_list")
        allowed = {code for code, _label in self.item_choices}
        unknown = [item for item in value if item not in allowed]
        if unknown:
            raise ValidationError(
                _("Unknown choice: %(items)s."),
                code="invalid_choice",
                params={"items": ", ".join(map(str, unknown))},
            )
        if len(set(value)) != len(value):
            raise ValidationError(_("A choice appears twice."), code="duplicate_choice")

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=self.item_choices,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
        )

    def labels_for(self, value):
        labels = dict(self.item_choices)
        return [str(labels.get(item, item)) for item in (value or [])]
