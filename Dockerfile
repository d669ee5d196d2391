# Production image: gunicorn for the web process; the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VAR_DIR=/data \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app
RUN useradd --create-home --uid 1000 app && mkdir -p /data && chown app:app /data

COPY . .
RUN pip install --no-cache-dir . \
    && python manage.py collectstatic --noinput \
    && chown -R app:app /app /data

USER app
EXPOSE 8000
CMD ["gunicorn", "partner_support.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
