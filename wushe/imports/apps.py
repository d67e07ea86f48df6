from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "wushe.imports"
    label = "imports"
    verbose_name = _("台账导入")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .storage import on_connection_created

        # the SQLite database and its -wal/-shm files are 0600 whatever the umask (issue 14)
        connection_created.connect(on_connection_created, dispatch_uid="wushe.imports.private_sqlite")
