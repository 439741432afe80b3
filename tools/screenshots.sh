#!/usr/bin/env bash
# Renders the desktop app's main screens, both roles, Dutch and English, at
# 100% and 200%, into docs/screenshots/ (used in README.md). Headless: the
# offscreen platform and the software renderer; sample conversations over
# an in-process fake relay. Builds first.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD"
cmake --preset default >/dev/null
cmake --build --preset default --target confidant-desktop-screenshots
bin=build/default/tests/desktop/confidant-desktop-screenshots
for scale in 1 2; do
  out="docs/screenshots/$((scale * 100))"
  rm -rf "$out"
  for language in nl en; do
    QT_SCALE_FACTOR=$scale "$bin" "$out" "$language"
  done
done
ls docs/screenshots/*
