"""Who made a change the audit history records without a staff account.

django-simple-history stores the signed-in user; changes the site makes itself (a submitter
using the form or their private link) have none, so the writes that make them name the actor as
the change reason, and the admin's history shows it under "Changed by" (anything else without a
user, such as a command, shows SITE). Stored in English, like the rest of the history.
"""

SUBMITTER_FORM = "the submitter, through the web form"
SUBMITTER_LINK = "the submitter, through their private link"
REGISTRANT_FORM = "the registrant, through the registration form"
REGISTRANT_LINK = "the registrant, through their private link"
SITE = "the site itself (no staff account)"


def record_actor(instance, actor: str):
    """Name the actor of the next save of `instance` in its history row."""
    instance._change_reason = actor
    return instance
