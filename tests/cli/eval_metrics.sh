#!/usr/bin/env bash
# The `make eval` code on hand-worked examples (tools/eval/test_metrics.py): ROC AUC, average
# precision, PlagDet, decoding, extracted→raw offset alignment, the Kazakh set's disguises
# (Latin 2021/2018, Russian keyboard, ZWSP, «») and its truth (visible letters of a real DOCX).
cd "${ROOT:?}" || exit 2
PY=python3
for p in /usr/bin/python3 python3; do
  if "$p" -c 'import docx' 2>/dev/null; then PY=$p; break; fi
done
command -v "$PY" >/dev/null || { echo "python3 missing"; exit 77; }
"$PY" -m unittest discover -s tools/eval -p 'test_*.py' 2>&1
