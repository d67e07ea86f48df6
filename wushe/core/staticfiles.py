"""Static files in production: a missing manifest is a logged error and a check, not a 500.

With ``DJANGO_DEBUG=0`` static URLs come from the manifest ``manage.py collectstatic`` writes
(hashed names, compressed copies, served by WhiteNoise). Whitenoise's storage raises ValueError
for a name the manifest lacks, so before the first collectstatic *every page* answered 500.

Chosen: the page is still served, its static URLs unhashed (the styles are missing until
collectstatic has run, visibly), and the operator is told twice — an ERROR log line naming the
command at the first such URL, and the system check ``wushe.W001`` (shown by ``manage.py check``,
``migrate`` and ``runserver``). A check *error* was not chosen: it would also block ``migrate``
and every other command of a fresh install. The README's production paragraph lists the step.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.checks import Warning as CheckWarning
from django.core.checks import register
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)

COLLECTSTATIC_HINT = (
    "静态文件尚未收集：请先运行 `python manage.py collectstatic --noinput` / "
    "static files have not been collected: run `python manage.py collectstatic --noinput`"
)


class WusheStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage that falls back to the plain name instead of raising."""

    _warned = False

    def stored_name(self, name: str) -> str:
        try:
            stored: str = super().stored_name(name)  # WhiteNoise ships no types
        except ValueError:
            if not WusheStaticFilesStorage._warned:
                WusheStaticFilesStorage._warned = True
                logger.error("%s (first missing: %s)", COLLECTSTATIC_HINT, name)
            return name
        return stored


def manifest_missing() -> bool:
    from django.contrib.staticfiles.storage import staticfiles_storage

    storage: Any = staticfiles_storage
    if not hasattr(storage, "manifest_name"):
        return False  # DEBUG: plain storage, files served from the app directories
    return not storage.exists(storage.manifest_name)


@register("wushe")
def check_static_manifest(app_configs: Any = None, **kwargs: Any) -> list[CheckWarning]:
    if settings.DEBUG or not manifest_missing():
        return []
    return [CheckWarning(COLLECTSTATIC_HINT, id="wushe.W001")]
