#!/usr/bin/env bash
# Serve the demo: the web server, a Celery worker and beat on the embedded broker.
# One Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
mkdir -p var/broker/queue var/broker/processed var/mail

cleanup() { trap - INT TERM EXIT; kill 0 2>/dev/null || true; }
trap cleanup INT TERM EXIT

.venv/bin/celery -A emulation worker --beat --loglevel=warning --concurrency=2 \
  --schedule=var/celerybeat-schedule &

cat <<'TEXT'

  Thi đua - Khen thưởng Công đoàn: http://127.0.0.1:8000
  Demo logins (password: thidua2017)
    admin    superuser
    cspl     Ban Chính sách - Pháp luật, LĐLĐ tỉnh Ninh Bình (staff)
    hoalu    LĐLĐ huyện Hoa Lư (leader)
    giaoduc  Công đoàn ngành Giáo dục (leader)
    cdcs1    CĐCS UBND xã Ninh Hòa, under Hoa Lư (officer)
    cdcs2    CĐCS Trường THCS Ninh Giang, under Hoa Lư (officer)
    cdcs3    CĐCS Trường THPT Lương Văn Tụy, under Giáo dục (officer)
  Mail is written to var/mail/. Ctrl-C stops the server, the worker and beat.

TEXT
$PY manage.py runserver 127.0.0.1:8000
