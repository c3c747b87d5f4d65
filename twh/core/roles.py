"""The Moderators group: exactly the permissions moderation needs, and no more."""

from django.contrib.auth.management import create_permissions

MODERATORS_GROUP = "Moderators"


def grant_to_moderators(apps, codenames: list[tuple[str, str]]) -> None:
    """Give the Moderators group these (app_label, codename) permissions, creating both.

    Called from migrations (with the historical `apps`), so each app adds its own permissions.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    for app_label, codename in codenames:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
