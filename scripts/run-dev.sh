#!/usr/bin/env bash
# Serve the demo: the web server, a Celery worker and beat on the embedded broker.
# One Ctrl-C stops all three.
#   PORT=8001 make run   another port (8000 by default)
#   DEBUG=1 make run     Django's debug pages instead of the Vietnamese error pages
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"
if ! [[ "$PORT" =~ ^[0-9]+$ ]] || ((PORT < 1 || PORT > 65535)); then
  echo "PORT must be a port number (1-65535), not \"$PORT\"." >&2
  exit 2
fi
URL="http://127.0.0.1:$PORT"
# Links in the emails lead to the port the demo answers on.
export SITE_URL="${SITE_URL:-$URL}"
mkdir -p var/broker/queue var/broker/processed var/mail

cleanup() { trap - INT TERM EXIT; kill 0 2>/dev/null || true; }
trap cleanup INT TERM EXIT

.venv/bin/celery -A emulation worker --beat --loglevel=warning --concurrency=2 \
  --schedule=var/celerybeat-schedule &

case "${DEBUG:-}" in  # the values django-environ reads as true
  1 | [Tt][Rr][Uu][Ee] | [Oo][Nn] | [Oo][Kk] | [Yy] | [Yy][Ee][Ss])
    mode="DEBUG on: Django's debug pages, for development only" ;;
  *) mode="DEBUG off, as in production (DEBUG=1 make run for Django's debug pages)" ;;
esac
cat <<TEXT

  Thi đua - Khen thưởng Công đoàn: $URL
  Demo logins (password: thidua2017)
    admin    superuser
    cspl     Ban Chính sách - Pháp luật, LĐLĐ tỉnh Ninh Bình (staff)
    hoalu    LĐLĐ huyện Hoa Lư (leader)
    giaoduc  Công đoàn ngành Giáo dục (leader)
    cdcs1    CĐCS UBND xã Ninh Hòa, under Hoa Lư (officer)
    cdcs2    CĐCS Trường THCS Ninh Giang, under Hoa Lư (officer)
    cdcs3    CĐCS Trường THPT Lương Văn Tụy, under Giáo dục (officer)
  $mode
  Mail is written to var/mail/. Ctrl-C stops the server, the worker and beat.

TEXT
$PY manage.py runserver "127.0.0.1:$PORT"
