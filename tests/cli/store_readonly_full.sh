#!/usr/bin/env bash
# `adal corpus add` (and `adal batch`, for the read-only file and the full disk) on a store it
# cannot write: (a) the store file read-only, (b) its folder
# read-only (SQLite must create PATH-wal and PATH-shm there; `check --db` and `corpus
# verify` still read it, with the same report), (c) a full disk (a 1 MiB tmpfs;
# root only — tests/unit/test_store_full.c fills the disk at every write without root).
# Each ends in exactly one line `adal: DB: cannot write the corpus store: WHY; it is left as
# it was [code]` on stderr (`adal batch` too: the store named, not the course folder), nothing on stdout, exit status 2; afterwards `adal corpus verify`
# passes and `adal corpus list` is what it was before. Root ignores chmod, so as root the
# program runs as `nobody` (setpriv); the case skips when that is impossible.
. "$ROOT/tests/cli/lib/check.sh"
need_engine
S="$ROOT/corpus/sources"
chmod 755 "$TMP"
if [ "$(id -u)" = 0 ]; then
  AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  "${AS[@]}" $ADAL --version >/dev/null 2>&1 || { echo "cannot run adal as nobody"; exit 77; }
else
  AS=()
fi
ran=0

# snapshot DB: its listing, taken before it is made unwritable (a reader leaves an empty
# PATH-wal and PATH-shm behind, which would let a writer in: remove them)
snapshot() {
  $ADAL corpus list --db "$1" >"$TMP/list.before" 2>&1 || fail "list before"
  [ -s "$1-wal" ] || rm -f "$1-wal" "$1-shm"
}

# expect_refused DB WHY -- ARGS...: one line naming DB and WHY, exit 2, store unchanged
expect_refused() {
  local db=$1 why=$2; shift 3
  "${AS[@]}" $ADAL corpus add "$@" --db "$db" >"$TMP/out" 2>"$TMP/err"
  local rc=$?
  [ $rc = 2 ] || { cat "$TMP/err"; fail "$why: exit $rc, want 2"; }
  [ ! -s "$TMP/out" ] || { cat "$TMP/out"; fail "$why: something listed as added"; }
  [ "$(grep -vc '^==' "$TMP/err")" = 1 ] || { cat "$TMP/err"; fail "$why: want one line"; }
  grep -q "^adal: $db: cannot write the corpus store: $why.*; it is left as it was \[[a-z]*\]$" \
    "$TMP/err" || { cat "$TMP/err"; fail "$why: message"; }
  ! grep -qi 'locked\|sqlite' "$TMP/err" || fail "$why: SQLite's words reach the user"
  $ADAL corpus verify --db "$db" >/dev/null 2>&1 || fail "$why: verify after"
  $ADAL corpus list --db "$db" >"$TMP/list.after" 2>&1 || fail "list after"
  cmp -s "$TMP/list.before" "$TMP/list.after" || fail "$why: the store changed"
}

# (a) the store file read-only
mkdir "$TMP/a" && chmod 777 "$TMP/a"
$ADAL corpus add "$S"/abai-0* --db "$TMP/a/c.db" >/dev/null 2>&1 || fail "setup a"
snapshot "$TMP/a/c.db"
chmod 444 "$TMP/a/c.db"
expect_refused "$TMP/a/c.db" "the file is read-only" -- "$S"/abai-1*
# adal batch: refused before any work, same one line, store unchanged
mkdir "$TMP/bo" && chmod 777 "$TMP/bo"
"${AS[@]}" $ADAL batch "$ROOT/corpus/course" --db "$TMP/a/c.db" --out "$TMP/bo/a" >/dev/null 2>"$TMP/err"
[ $? = 2 ] || { cat "$TMP/err"; fail "batch on a read-only store: exit"; }
[ "$(grep -vc '^==' "$TMP/err")" = 1 ] || { cat "$TMP/err"; fail "batch, read-only: want one line"; }
# the line names the store, not the course folder
grep -q "^adal: $TMP/a/c.db: cannot write the corpus store: the file is read-only.*; it is left as it was \[[a-z]*\]$" "$TMP/err" || { cat "$TMP/err"; fail "batch, read-only: message"; }
$ADAL corpus list --db "$TMP/a/c.db" 2>&1 | cmp -s - "$TMP/list.before" || fail "batch, read-only: store changed"
ran=$((ran + 1))

# (b) its folder read-only: the store file itself writable by the user
mkdir "$TMP/b"
$ADAL corpus add "$S"/abai-0* --db "$TMP/b/c.db" >/dev/null 2>&1 || fail "setup b"
[ ${#AS[@]} = 0 ] || chown nobody "$TMP/b/c.db"
E="$ROOT/corpus/course/09-Nurlan/essay.docx" # copies abai-07
$ADAL check "$E" --db "$TMP/b/c.db" --format json >"$TMP/check.before" 2>/dev/null
[ $? = 1 ] || fail "setup b: check"
snapshot "$TMP/b/c.db"
chmod 555 "$TMP/b"
# readers still read it (no -wal there: nobody can have written what the file lacks)
"${AS[@]}" $ADAL check "$E" --db "$TMP/b/c.db" --format json >"$TMP/check.ro" 2>"$TMP/err"
[ $? = 1 ] || { cat "$TMP/err"; fail "check --db in a read-only folder"; }
cmp -s "$TMP/check.before" "$TMP/check.ro" || fail "check --db in a read-only folder: report differs"
"${AS[@]}" $ADAL corpus verify --db "$TMP/b/c.db" >/dev/null 2>&1 || fail "verify in a read-only folder"
[ ! -e "$TMP/b/c.db-wal" ] || fail "a reader left a -wal in a read-only folder"
expect_refused "$TMP/b/c.db" "its folder is read-only" -- "$S"/abai-1*
chmod 755 "$TMP/b"
ran=$((ran + 1))

# (c) a full disk
if [ "$(id -u)" = 0 ] && mkdir "$TMP/c" && mount -t tmpfs -o size=1m adal-test "$TMP/c" 2>/dev/null; then
  trap 'umount "$TMP/c" 2>/dev/null; rm -rf "$TMP"' EXIT
  python3 - "$TMP" <<'PY'
import random, sys
r = random.Random(6)
abc = 'абвгдеёжзийклмнопрстуфхцчшщыэюяәғқңөұүһі'
for name, n in (('small', 3000), ('big1', 60000), ('big2', 60000)):
    w = [''.join(r.choice(abc) for _ in range(r.randint(3, 9))) for _ in range(n)]
    open(f'{sys.argv[1]}/{name}.txt', 'w').write(' '.join(w) + '\n')
PY
  $ADAL corpus add "$S"/abai-* "$TMP/small.txt" --db "$TMP/c/c.db" >/dev/null 2>&1 || fail "setup c"
  snapshot "$TMP/c/c.db"
  # the first big file fits, the second does not: one transaction, so neither is kept
  AS=()
  expect_refused "$TMP/c/c.db" "the disk is full" -- "$TMP/big1.txt" "$TMP/big2.txt"
  # adal batch on the full disk: its adds fail at the end, one line, store unchanged
  $ADAL corpus list --db "$TMP/c/c.db" >"$TMP/list.before" 2>&1
  rm -f "$TMP/c/c.db-wal" "$TMP/c/c.db-shm"
  dd if=/dev/zero of="$TMP/c/fill" bs=4k 2>/dev/null
  $ADAL batch "$ROOT/corpus/course" --db "$TMP/c/c.db" --out "$TMP/bo/c" >/dev/null 2>"$TMP/err"
  [ $? = 2 ] || { cat "$TMP/err"; fail "batch on a full disk: exit"; }
  [ "$(grep -vc '^==' "$TMP/err")" = 1 ] || { cat "$TMP/err"; fail "batch, full: want one line"; }
  grep -q "^adal: $TMP/c/c.db: cannot write the corpus store: the disk is full.*; it is left as it was \[[a-z]*\]$" "$TMP/err" || { cat "$TMP/err"; fail "batch, full: message"; }
  rm -f "$TMP/c/fill"
  $ADAL corpus verify --db "$TMP/c/c.db" >/dev/null 2>&1 || fail "batch, full: verify after"
  $ADAL corpus list --db "$TMP/c/c.db" 2>&1 | cmp -s - "$TMP/list.before" || fail "batch, full: store changed"
  # room again: the same add gets through
  mount -o remount,size=8m "$TMP/c" || fail "remount"
  $ADAL corpus add "$TMP/big1.txt" "$TMP/big2.txt" --db "$TMP/c/c.db" >"$TMP/out" 2>&1 \
    || { cat "$TMP/out"; fail "add once there is room"; }
  [ "$(grep -c '^added ' "$TMP/out")" = 2 ] || fail "room again: not both added"
  $ADAL corpus verify --db "$TMP/c/c.db" >/dev/null 2>&1 || fail "verify at the end"
  ran=$((ran + 1))
else
  echo "full disk: not root or no tmpfs mount here (tests/unit/test_store_full.c covers it)"
fi
exit 0
