"""Uploaded files (report photos, anchors' logos), served from Django's default storage with a
guard: the public gets a photo only once staff approved it and its report, and a logo while its
anchor is listed; staff see every file.

The same view runs under `make run`, `make serve` and behind nginx (deploy/nginx/twh.conf
proxies /media/ here rather than serving the folder), so an unapproved photo is never public
even to someone who guesses its random name.
"""

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from events.models import EventReport
from twh.models import Anchor


@require_safe
def serve_media(request, path: str):
    public = (EventReport.objects.with_public_photo().filter(photo=path).exists()
              or Anchor.objects.listed().filter(logo=path).exists())
    if not public and not (request.user.is_active and request.user.is_staff):
        raise Http404
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=mimetypes.guess_type(path)[0] or "application/octet-stream")
    # Names are random and never reused; a rejected photo's file is deleted with it.
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    return response
