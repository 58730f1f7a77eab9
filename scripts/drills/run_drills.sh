#!/usr/bin/env bash
# scripts/drills/run_drills.sh - the failure drills of issue 10 against a
# `make run` stack they start themselves (see scripts/drills/README.md).
#
#     bash scripts/drills/run_drills.sh [--only export,postgres,redis] [drills.py options]
#
# Sets up .venv as make does, then runs scripts/drills/drills.py in it. Exits
# 0 when every drill passed, 1 when one failed.
set -euo pipefail
# shellcheck source=scripts/devenv.sh
source "$(dirname "${BASH_SOURCE[0]}")/../devenv.sh"

cd "$REPO_ROOT"
find_python
ensure_venv
exec "$VENV_DIR/bin/python" scripts/drills/drills.py "$@"
