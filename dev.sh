#!/usr/bin/env bash
# Interview Station developer entry: installs what is missing, then runs the demo or the tests.
#
#   ./dev.sh demo   install everything, start the server (embedded SQLite) and the station
#   ./dev.sh test   install everything, run lint, type checks, layer contracts and the whole test suite
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(
    espeak-ng libespeak-ng1 espeak-ng-data            # text to speech (pyttsx3)
    libportaudio2                                      # microphone and speaker (sounddevice)
    pulseaudio pulseaudio-utils libasound2-plugins alsa-utils   # virtual audio devices for tests
    xvfb xauth imagemagick xdotool                     # virtual screen, screenshots, key events (kiosk soak)
    libegl1 libgl1 libglib2.0-0 libfontconfig1 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-xinerama0 libxcb-randr0
    libxcb-render-util0 libxcb-image0 libxcb-shape0 libxcb-xkb1   # Qt's xcb platform
    fonts-dejavu-core
)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

find_python() {
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

ensure_system_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "Not a Debian/Ubuntu system: install the equivalents of: ${APT_PACKAGES[*]}"
        return 0
    fi
    local missing=()
    local wanted=("${APT_PACKAGES[@]}")
    if ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        wanted+=("python3-venv")
    fi
    for pkg in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        say "Installing system packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
        echo "These system packages are missing. Install them, then run this command again:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
}

ensure_venv() {
    if [ ! -x .venv/bin/python ]; then
        say "Creating .venv with $PY"
        "$PY" -m venv .venv
    fi
    local stamp=.venv/.installed-from
    local digest
    digest=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
        say "Installing Python packages (first time: a few minutes)"
        .venv/bin/python -m pip install -q --upgrade pip
        .venv/bin/python -m pip install -q -e '.[all]'
        echo "$digest" > "$stamp"
    fi
}

run_tests() {
    export QT_QPA_PLATFORM=offscreen
    export PATH="$PWD/.venv/bin:$PATH"
    say "ruff (lint)";          ruff check .
    say "ruff (format)";        ruff format --check .
    say "mypy";                 mypy
    say "import contracts";     lint-imports
    say "pytest";               pytest "$@"
}

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; }

main() {
    local cmd="${1:-}"
    case "$cmd" in
        demo | test) shift ;;
        *) usage; exit 2 ;;
    esac
    PY=$(find_python) || { echo "Python 3.11 or newer is required (set PYTHON=/path/to/python3.11)." >&2; exit 1; }
    ensure_system_packages
    ensure_venv
    case "$cmd" in
        demo) exec .venv/bin/interview-station demo "$@" ;;
        test) run_tests "$@" ;;
    esac
}

main "$@"
