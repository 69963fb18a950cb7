# po2c.awk — compile a gettext .po file into C initialisers {"msgid", "msgstr"}, for the
# label tables of src/i18n.c (built at compile time by the Makefile; see docs/ARCHITECTURE.md
# "Languages"). .po strings are already C string literals, so they are copied as they are.
# Untranslated (empty msgstr) and fuzzy entries are left out: the English msgid is shown.
function flush() {
    if (id != "" && str != "" && !fuzzy)
        printf "    {\"%s\", \"%s\"},\n", id, str
    id = ""; str = ""; fuzzy = 0
}
/^#,.*fuzzy/ { if (id != "") flush(); fuzzy = 1; next }
/^#/ { next }
/^msgid / { if (id != "") flush(); cur = "id"; id = substr($0, 8, length($0) - 8); next }
/^msgstr / { cur = "str"; str = substr($0, 9, length($0) - 9); next }
/^"/ {
    s = substr($0, 2, length($0) - 2)
    if (cur == "id") id = id s; else if (cur == "str") str = str s
    next
}
/^$/ { flush(); cur = "" }
END { flush() }
