# The web, worker and beat image. Build: docker compose build. Dependencies come from uv.lock, exactly.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never \
    PATH="/opt/venv/bin:$PATH"

RUN pip install --no-cache-dir "uv==0.13.9" \
    && useradd --create-home --uid 10001 shop

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
# collectstatic needs settings but no database; a throwaway key is enough to build.
RUN DJANGO_SETTINGS_MODULE=jewelry_site.settings.production \
    SECRET_KEY=build-only-key-build-only-key-build-only-key-0123456789 \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown -R shop:shop /app/media

USER shop
EXPOSE 8000
CMD ["gunicorn", "jewelry_site.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
