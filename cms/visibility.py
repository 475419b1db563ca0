"""What anonymous visitors may see. Every public read of pages goes through `public_pages()`."""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from cms.paths import site_root_paths


def _hidden_branches(now):
    """Paths of pages that hide their whole subtree: unpublished, expired or not yet live."""
    return list(
        Page.objects.filter(numchild__gt=0)
        .filter(Q(live=False) | Q(expire_at__lte=now) | Q(go_live_at__gt=now))
        .values_list("path", flat=True)
    )


def public_pages(model=Page):
    """Live, unrestricted, in-date pages inside a site, none of whose ancestors is hidden.

    Wagtail's `live()` looks at the page alone and `publish_scheduled` may not have run yet,
    so dates and ancestors are checked here too.
    """
    now = timezone.now()
    qs = model.objects.live().public().filter(depth__gt=1)
    qs = qs.filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
    qs = qs.filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
    roots = [root.root_path for root in site_root_paths()]
    if not roots:
        return qs.none()
    qs = qs.filter(reduce(or_, (Q(url_path__startswith=root) for root in roots)))
    hidden = _hidden_branches(now)
    if hidden:
        qs = qs.exclude(reduce(or_, (Q(path__startswith=path) for path in hidden)))
    return qs


def is_public(page):
    return page is not None and public_pages().filter(pk=page.pk).exists()
