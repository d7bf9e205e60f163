#!/usr/bin/env bash
# Installs what the app needs to run: system packages (only those missing), the virtual environment from the lock
# file (only when the lock changed), compiled translations, and the database schema. Safe to run repeatedly.
#   scripts/bootstrap.sh          for `make run`
#   scripts/bootstrap.sh test     also what the tests need (Chromium, Node for axe-core and the editor source)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

need_pkgs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-noto-cjk-extra
           fonts-arphic-gkai00mp python3-venv poppler-utils)  # poppler-utils: pdftotext for attachment text
need_pkgs+=(graphviz)  # dot: the request flow chart of the disclosure guide (disclosure/web/flowchart.py)
if [ "$mode" = test ]; then
  need_pkgs+=(chromium chromium-driver)
fi
command -v npm >/dev/null 2>&1 || need_pkgs+=(nodejs npm)  # both modes: ECharts for the supervision charts
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
missing=()
for p in "${need_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 仿宋 for the letters' body (GB/T 9704): Debian has no Simplified-Chinese FangSong package of its own. The free
# Fandol fonts (FandolFang, FandolSong, FandolHei, FandolKai; GPL with the font exception) ship inside the Debian
# package texlive-lang-chinese: take the OpenType files out of it instead of installing TeX. Letters name licensed
# official fonts first, then these, then Noto CJK (letters/base/letter.css).
fandol_dir=/usr/local/share/fonts/fandol
if [ ! -f "$fandol_dir/FandolFang-Regular.otf" ]; then
  echo "==> installing the Fandol fonts (仿宋, 宋体, 黑体, 楷体) from the Debian package texlive-lang-chinese"
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download texlive-lang-chinese >/dev/null 2>&1) \
    || { $SUDO apt-get update -qq && (cd "$tmp" && apt-get download texlive-lang-chinese >/dev/null 2>&1); }
  dpkg-deb --fsys-tarfile "$tmp"/texlive-lang-chinese_*.deb | tar -x -C "$tmp" --wildcards \
    './usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol[FSHK]*.otf' \
    './usr/share/doc/texlive-doc/fonts/fandol/*'
  $SUDO install -d "$fandol_dir"
  $SUDO install -m 644 "$tmp"/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/*.otf \
    "$tmp"/usr/share/doc/texlive-doc/fonts/fandol/* "$fandol_dir"/
  rm -rf "$tmp"
  if command -v fc-cache >/dev/null 2>&1; then $SUDO fc-cache -f "$fandol_dir"; fi
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> creating the virtual environment"
  "$PY" -m venv .venv
fi
stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> installing Python packages from requirements.lock"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -r requirements.lock
  .venv/bin/python -m pip install -q --no-deps -e .
  echo "$want" > "$stamp"
fi

if [ "$mode" = test ] && { [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/echarts/dist/echarts.min.js ]; }; then
  echo "==> installing axe-core for the accessibility checks and ECharts for the charts"
  npm ci --no-audit --no-fund --silent
elif [ ! -f node_modules/echarts/dist/echarts.min.js ]; then
  echo "==> installing ECharts for the supervision charts"
  npm ci --omit=dev --no-audit --no-fund --silent
fi
# ECharts is served from the app's own static files (no CDN; the CSP allows only 'self'); the copy is git-ignored.
echarts_dir=disclosure/static/vendor/echarts
for f in dist/echarts.min.js LICENSE NOTICE; do
  cmp -s "node_modules/echarts/$f" "$echarts_dir/$(basename "$f")" || install -D -m 644 "node_modules/echarts/$f" "$echarts_dir/$(basename "$f")"
done

.venv/bin/python scripts/i18n.py compile
if [ "$mode" = run ]; then
  echo "==> applying database migrations"
  .venv/bin/disclosure db upgrade heads
fi
