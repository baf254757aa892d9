# The DIALOG+ image: one image for web (gunicorn), worker and beat (Celery).
# Build: docker compose build   (see docker-compose.yml and the README).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DIALOGPLUS_VAR_DIR=/data

# gettext compiles the catalogs; Pango, its FreeType backend and HarfBuzz's
# subsetter are what WeasyPrint draws PDF summaries with; DejaVu has Cyrillic
# and the Latin diacritics of every language the app speaks.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext fonts-dejavu-core \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, in their own layer: pyproject.toml installs no package
# of its own (the code runs from /app), so this layer changes only with it.
COPY pyproject.toml ./
RUN pip install .

COPY . .

# Catalogs and static files are built into the image. The key here only lets
# settings load (DEBUG is off); it is not used at run time.
RUN DEBUG=0 SECRET_KEY=image-build-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
        sh -c 'if find locale -name "*.po" | grep -q .; then python manage.py compilemessages --ignore=.venv; fi \
               && python manage.py collectstatic --noinput --verbosity 0'

RUN useradd --system --uid 1000 --home-dir /app dialogplus \
    && mkdir -p /data \
    && chown dialogplus /data
USER dialogplus
VOLUME ["/data"]

EXPOSE 8000
# Sync workers: gthread workers behind keep-alive can pile all load onto one
# (BENCHMARKS.md). WEB_CONCURRENCY sets the number of workers.
ENV WEB_CONCURRENCY=4
CMD ["gunicorn", "dialogplus.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--worker-class", "sync", "--timeout", "30", "--access-logfile", "-"]
