#!/usr/bin/env bash
# lint.sh — `make lint`: banned functions (curl's list), then cppcheck over the library.
set -u
cd "$(dirname "$0")/.."
rc=0
banned=$(grep -rnE '\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok)[[:space:]]*\(' \
         src include tests/unit bench 2>/dev/null | grep -vE '^\S+:[0-9]+:\s*(/\*|\*|//)')
if [ -n "$banned" ]; then
  echo "lint: banned functions (use the bounded forms):"; echo "$banned"; rc=1
fi
if command -v cppcheck >/dev/null; then
  cppcheck -q --error-exitcode=1 --std=c11 --enable=warning,portability \
    --suppress=missingIncludeSystem -Iinclude -Isrc src src/cli || rc=1
fi
[ $rc = 0 ] && echo "lint: ok"
exit $rc
