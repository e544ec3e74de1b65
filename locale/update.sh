#!/bin/sh
# Refresh the Indonesian catalogue from the source and recompile it.
# Usage: locale/update.sh   (from anywhere; runs in the project root)
# After running, translate any new/empty or "#, fuzzy" entries in
# locale/id/LC_MESSAGES/django.po, then run this script again to recompile.
set -eu
cd "$(dirname "$0")/.."
PY=.venv/bin/python
$PY manage.py makemessages -l id \
    --ignore=.venv --ignore=bench --ignore=tests --ignore=artifacts --ignore=staticfiles \
    --no-obsolete
$PY manage.py compilemessages -l id --ignore=.venv
msgfmt --check --statistics -o /dev/null locale/id/LC_MESSAGES/django.po
