/* i18n.c — labels in Kazakh, Russian and English. The English text is the msgid (gettext's
 * convention, so xgettext/msgmerge/Poedit work on the po files); the translations are compiled
 * into the library from po/kk.po and po/ru.po at build time (tools/po2c.awk), so a report
 * never depends on an installed locale or message catalogue: a grader's machine with only
 * the C locale still gets a Kazakh report. Why not libintl at run time: docs/ARCHITECTURE.md.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct tr_entry {
    const char *id, *str;
} tr_entry;

static const tr_entry kk_table[] = {
#include "i18n_kk.inc"
    {NULL, NULL},
};
static const tr_entry ru_table[] = {
#include "i18n_ru.inc"
    {NULL, NULL},
};

const char *adal_tr(adal_lang lang, const char *msgid)
{
    const tr_entry *t = lang == ADAL_LANG_KK ? kk_table : lang == ADAL_LANG_RU ? ru_table : NULL;
    if (!msgid)
        return "";
    for (; t && t->id; t++) /* a few hundred labels: a linear scan is fast enough */
        if (strcmp(t->id, msgid) == 0)
            return t->str;
    return msgid;
}

static int lang_of(const char *v, adal_lang *out)
{
    if (!v || !*v)
        return 0;
    if (strncmp(v, "kk", 2) == 0)
        *out = ADAL_LANG_KK;
    else if (strncmp(v, "ru", 2) == 0)
        *out = ADAL_LANG_RU;
    else if (strncmp(v, "en", 2) == 0)
        *out = ADAL_LANG_EN;
    else
        return 0;
    return 1;
}

adal_lang adal_lang_default(void)
{
    adal_lang l = ADAL_LANG_KK;
    if (lang_of(getenv("ADAL_LANG"), &l))
        return l;
    /* POSIX precedence: the first of these that is set decides, even if it is "C" */
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) {
            if (lang_of(v, &l))
                return l;
            return ADAL_LANG_KK;
        }
    }
    return ADAL_LANG_KK;
}
