"""``FastSelect`` writes the same HTML as Django's ``Select``, whatever the choices."""

from django import forms

import pytest

from safetynet.widgets import FastSelect

CHOICES = [
    ("", "---------"),
    (1, 'Fietsdiefstal <en> "inbraak" & co'),
    ("Preventie", [(2, "Buurtinformatienetwerk"), (3, "Inbraakpreventie-advies")]),
    (4, "Été — sécurité"),
]


@pytest.mark.parametrize("value", [None, "", 1, "3", [4]])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_x", "required": True, "disabled": False, "data-x": 'a"b'}]
)
def test_the_same_html_as_djangos_select(value, attrs):
    fast = FastSelect(choices=CHOICES).render("action_plan", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("action_plan", value, attrs=attrs)
    assert fast == django


def test_a_model_choice_field_with_it_renders_like_the_default(lindenberg):
    from plans.models import Phenomenon

    queryset = Phenomenon.objects.order_by("pk")
    fast = forms.ModelChoiceField(queryset=queryset, widget=FastSelect)
    plain = forms.ModelChoiceField(queryset=queryset)
    assert len(queryset) > 3
    assert fast.widget.render("p", queryset[1].pk) == plain.widget.render("p", queryset[1].pk)
