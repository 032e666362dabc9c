#!/usr/bin/env bash
# Everything the tests need, then the tests: the README's test command and .ci/run's.
#
# 1. Debian/Ubuntu: installs the system packages of scripts/system-packages.txt with apt-get
#    (apt-get update first; as root, or through sudo). Elsewhere it prints what to install
#    (Debian, Fedora and Homebrew names) and runs the tests that need none of them; the
#    summary says how many were not run and why.
# 2. Creates .venv, installs reportkit with its test extra (editable), runs pytest.
# Options after -- go to pytest. REPORTKIT_REQUIRE_TOOLS=1 (set in CI) makes a missing
# tool a failure instead of a skip.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=$(grep -v '^\s*#' scripts/system-packages.txt | tr -s ' \n' ' ')
# Debian's own python3 has no venv module until python3-venv is installed.
python3 -c "import ensurepip" 2>/dev/null || packages="$packages python3-venv"

say() { printf '%s\n' "$*" >&2; }

hint() {
  say "请手动安装测试所需的系统软件包，然后重新运行："
  say "  Debian/Ubuntu: sudo apt-get install $packages"
  say "  Fedora:        sudo dnf install libreoffice-writer poppler-utils chromium google-noto-sans-cjk-fonts google-noto-serif-cjk-fonts"
  say "  Homebrew:      brew install poppler && brew install --cask libreoffice chromium font-noto-sans-cjk-sc font-noto-serif-cjk-sc"
  say "未安装时，需要这些软件的测试不运行，测试结束时列出未运行的数目和原因。"
}

installed=no
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else sudo="-"; fi
  if [ "$sudo" = "-" ]; then
    say "apt-get 需要 root 权限，而本机没有 sudo。"
    hint
  else
    say "用 apt-get 安装测试所需的系统软件包：$packages"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends $packages >/dev/null
    installed=yes
  fi
else
  say "本机没有 apt-get。"
  hint
fi

if [ "$installed" = yes ] || [ "${CI:-}" = true ]; then
  export REPORTKIT_REQUIRE_TOOLS=1  # every test runs: a missing tool fails, never skips
fi

python3 -m venv .venv
. .venv/bin/activate
pip install -q -e ".[test]"
[ "${1:-}" = -- ] && shift
exec python -m pytest -q -p no:cacheprovider "$@"
