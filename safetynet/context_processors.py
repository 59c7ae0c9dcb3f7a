from .mixins import SESSION_KEY
from .permissions import access_for, has_perm, member_municipalities
from .registry import nav_entries


def navigation(request):
    """The navigation: the user's municipalities and what they may open in the current one."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav": _Navigation(request)}


class _Navigation:
    """Computed only when a template asks (error pages and e-mails never pay for it)."""

    def __init__(self, request):
        self.request = request
        self._municipalities = None

    @property
    def municipalities(self):
        if self._municipalities is None:
            self._municipalities = list(member_municipalities(self.request.user))
        return self._municipalities

    @property
    def current(self):
        current = getattr(self.request, "municipality", None)
        if current is not None:
            return current
        slug = self.request.session.get(SESSION_KEY)
        for municipality in self.municipalities:
            if municipality.slug == slug:
                return municipality
        return self.municipalities[0] if self.municipalities else None

    @property
    def entries(self):
        current = self.current
        if current is None or not access_for(self.request.user).is_member(current):
            return []
        path = self.request.path
        items = []
        for entry in nav_entries():
            if entry.visible is not None:
                shown = entry.visible(self.request, current)
            else:
                shown = has_perm(self.request.user, entry.perm, current)
            if shown:
                url = entry.url(current)
                items.append({"label": entry.label, "url": url, "active": path.startswith(url)})
        return items
