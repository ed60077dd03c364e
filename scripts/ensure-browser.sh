#!/usr/bin/env bash
# Make sure a Chromium exists for the robot and the tests, in this order:
# Playwright's own build, a system Chromium, Debian's package (as root), Playwright's download.
# With Debian's Chromium, adds its headless shell when we are root (optional otherwise).
# Also makes sure xvfb-run exists for the headed test when we are root (optional otherwise).
# Prints the path of the Chromium it settled on. Idempotent.
set -euo pipefail
py="${1:-.venv/bin/python}"

own=$("$py" - <<'PY' 2>/dev/null || true
from playwright.sync_api import sync_playwright
import os
with sync_playwright() as p:
    path = p.chromium.executable_path
    print(path if os.path.exists(path) else "")
PY
)
apt_ready=0
apt_install() {
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        if [ "$apt_ready" = 0 ]; then apt-get update -qq >&2 || true; apt_ready=1; fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
    else
        return 1
    fi
}

if [ -n "$own" ]; then
    chosen="$own"
else
    chosen=""
    for candidate in "${CRM_ROBOT_BROWSER_EXECUTABLE:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then chosen="$candidate"; break; fi
    done
    if [ -z "$chosen" ]; then
        if apt_install chromium fonts-dejavu-core; then
            chosen=/usr/bin/chromium
        else
            "$py" -m playwright install chromium >&2
            chosen=$("$py" -c 'from playwright.sync_api import sync_playwright
with sync_playwright() as p: print(p.chromium.executable_path)')
        fi
    fi
fi
# Headless runs prefer Debian's headless shell (robot/browser/launch.py): the same pixels for
# less CPU. Optional: without it they use the Chromium chosen above.
if [ -z "$own" ] && [ ! -x /usr/lib/chromium/chromium-headless-shell ] && [ "$chosen" = /usr/bin/chromium ]; then
    apt_install chromium-headless-shell || echo "note: chromium-headless-shell not available" >&2
fi
if ! command -v xvfb-run >/dev/null 2>&1; then
    apt_install xvfb xauth || echo "note: xvfb-run not available; the headed test will be skipped" >&2
fi
echo "$chosen"
