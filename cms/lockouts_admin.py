"""Admin: “Sign-in lockouts” under Settings, for superusers only: the failed password attempts being
counted (cms/login_throttle.py), each deletable to lift its lockout. Imported by CmsConfig.ready()."""

from axes.models import AccessAttempt
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy


class UnlockPolicy(ModelPermissionPolicy):
    """Active superusers may list the attempts and delete them; nobody adds or edits one."""

    actions = frozenset({"view", "delete"})

    def user_has_permission(self, user, action: str) -> bool:
        return action in self.actions and user.is_active and user.is_superuser

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(actions).filter(is_superuser=True)


class SignInLockoutViewSet(ModelViewSet):
    """The attempts table: username (or the restriction or reset address tried), address, count."""

    model = AccessAttempt
    icon = "lock"
    menu_label = "Sign-in lockouts"
    add_to_settings_menu = True
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time"]
    list_filter = ["username", "ip_address"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "username",
        "ip_address",
        "user_agent",
        "failures_since_start",
        "attempt_time",
        "path_info",
    ]
    form_fields = []  # never used: the policy allows no add or edit

    @property
    def permission_policy(self) -> UnlockPolicy:
        return UnlockPolicy(AccessAttempt)


@hooks.register("register_admin_viewset")
def register_lockouts_admin() -> SignInLockoutViewSet:
    return SignInLockoutViewSet("sign_in_lockouts")
