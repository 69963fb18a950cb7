#!/usr/bin/env bash
# tests/run.sh itself: a unit runner that dies inside a test (no summary line) or exits
# non-zero after an all-passed summary (a sanitizer or valgrind report) must count as a
# failure, so `make test` can never read as green when the runner crashed. run.sh is run on a
# copy of the tree holding only fake runners and one passing CLI case.
set -u
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mkdir -p "$TMP/tests/cli" "$TMP/b"
cp "$ROOT/tests/run.sh" "$TMP/tests/"
printf '#!/usr/bin/env bash\nexit 0\n' >"$TMP/tests/cli/fine.sh"

run() { # run.sh on the fake tree: sets $last (its last line) and $rc
  out=$(env -u ADAL_VALGRIND bash "$TMP/tests/run.sh" b 2>/dev/null); rc=$?
  last=$(printf '%s\n' "$out" | tail -1)
}

# 1. killed by a signal before its summary line (three tests ran and passed)
cat >"$TMP/b/test_unit" <<'EOF'
#!/usr/bin/env bash
echo "  ok   a"; echo "  ok   b"; echo "  ok   c"
kill -SEGV $$
EOF
chmod +x "$TMP/b/test_unit"
run
[ "$rc" != 0 ] || fail "exit 0 after a crashed runner: $out"
[ "$last" = "1 passed, 1 failed, 0 skipped" ] || fail "crash: last line '$last'"
printf '%s\n' "$out" | grep -q "FAIL unit runner exited" || fail "crash not named: $out"

# 2. an all-passed summary, then a non-zero exit (what ASan or valgrind do)
cat >"$TMP/b/test_unit" <<'EOF'
#!/usr/bin/env bash
echo "unit: 5 passed, 0 failed, 0 skipped"
exit 1
EOF
run
[ "$rc" != 0 ] || fail "exit 0 after a sanitizer exit"
[ "$last" = "6 passed, 1 failed, 0 skipped" ] || fail "sanitizer: last line '$last'"

# 3. a failed test is counted once, not again for the runner's exit status
cat >"$TMP/b/test_unit" <<'EOF'
#!/usr/bin/env bash
echo "unit: 4 passed, 1 failed, 0 skipped"
exit 1
EOF
run
[ "$last" = "5 passed, 1 failed, 0 skipped" ] || fail "failed test: last line '$last'"

# 4. and a clean runner is green
cat >"$TMP/b/test_unit" <<'EOF'
#!/usr/bin/env bash
echo "unit: 5 passed, 0 failed, 0 skipped"
EOF
run
[ "$rc" = 0 ] && [ "$last" = "6 passed, 0 failed, 0 skipped" ] || fail "clean: rc $rc, '$last'"
echo "run.sh counts a crashed runner ok"
