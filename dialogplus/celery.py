"""The Celery app. Redis is the broker when REDIS_URL is set; otherwise kombu's
filesystem transport lets `make run` run a worker and beat with nothing installed."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogplus.settings")

app = Celery("dialogplus")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.on_configure.connect
def _configure_embedded_broker(sender, **kwargs):
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        folder = settings.CELERY_BROKER_FOLDER
        for sub in ("in", "processed", "control"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        # Replaces the Redis options (visibility timeout) from settings.
        sender.conf.broker_transport_options = {
            "data_folder_in": str(folder / "in"),
            "data_folder_out": str(folder / "in"),
            "processed_folder": str(folder / "processed"),
            "store_processed": False,
            "control_folder": str(folder / "control"),
        }
        sender.conf.result_backend = None
    # Beat keeps its schedule state beside the other run-time files, not in the
    # working directory.
    sender.conf.beat_schedule_filename = str(settings.VAR_DIR / "celerybeat-schedule")


app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    task_ignore_result=True,
    timezone="UTC",
)
app.autodiscover_tasks()
