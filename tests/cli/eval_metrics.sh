#!/usr/bin/env bash
# The `make eval` metric and text code (tools/eval/common.py) on hand-worked examples:
# ROC AUC, average precision, PlagDet, decoding, offset alignment.
cd "${ROOT:?}" || exit 2
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
python3 -m unittest discover -s tools/eval -p 'test_*.py' 2>&1
