# Portal Kinerja ASN Kota Bandung: one image, daphne serving HTTP and websockets.
# Used by docker-compose.yml; see docs/deploy.md ("With Docker").

# Front-end packages (Bootstrap, icons, htmx, Chart.js) from npm, production only.
FROM node:20-bookworm-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_MEDIA_ROOT=/data/media \
    DJANGO_PRIVATE_MEDIA_ROOT=/data/private
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /app --shell /usr/sbin/nologin portal
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir --upgrade pip setuptools wheel \
    && pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=frontend /build/node_modules ./node_modules
# Catalogues and static files are build output (a throwaway key: nothing is signed here).
RUN python -c "import glob, polib; [polib.pofile(p).save_as_mofile(p[:-2] + 'mo') for p in glob.glob('locale/**/*.po', recursive=True)]" \
    && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /data/media /data/private && chown -R portal:portal /data
USER portal
EXPOSE 8000
# Migrations run in the `migrate` service of docker-compose.yml before this starts.
CMD ["daphne", "--bind", "0.0.0.0", "--port", "8000", "--proxy-headers", \
     "--websocket-max-message-size", "65536", "--websocket-max-frame-size", "65536", \
     "portal.asgi:application"]
