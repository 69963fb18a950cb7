/* ingest_cfb.c — OLE2 Compound File (CFB, [MS-CFB]) classification for the sniffer in
 * ingest.c. adal never reads text from a CFB: it only finds out which refusal is right —
 * a password-protected DOCX (streams EncryptionInfo + EncryptedPackage, [MS-OFFCRYPTO]), a
 * legacy Word 97–2003 .doc (stream WordDocument), or another Office file. A minimal, bounded
 * reader: header, FAT from the DIFAT, directory chain, first bytes of a stream (regular or
 * mini stream). Every loop is bounded by the file's sector count; corrupt input → ECORRUPT.
 */
#include "ingest.h"

#include <string.h>

#define ENDOFCHAIN 0xFFFFFFFEu
#define FREESECT 0xFFFFFFFFu
#define MAXREGSECT 0xFFFFFFFAu

typedef struct {
    adal_ctx *ctx;
    const uint8_t *d;
    size_t len;
    uint32_t ssz;   /* sector size: 512 or 4096 */
    uint32_t nsect; /* sectors present in the file (the last may be partial) */
    uint32_t *fat;
    uint32_t nfat;      /* FAT entries */
    uint32_t cutoff;    /* streams smaller than this live in the mini stream */
    uint32_t ministart; /* first sector of the mini stream (root entry) */
    uint64_t minisize;
} cfb;

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int corrupt(cfb *c, const char *what)
{
    return adal__err(c->ctx, ADAL_ECORRUPT, "corrupt OLE2 compound file: %s", what);
}

/* Sector n starts at (n + 1) × sector size ([MS-CFB] 2.2). NULL if outside the file. */
static const uint8_t *sector(const cfb *c, uint32_t n, size_t *avail)
{
    if (n > MAXREGSECT)
        return NULL;
    uint64_t off = ((uint64_t)n + 1) * c->ssz;
    if (off >= c->len)
        return NULL;
    size_t a = c->len - (size_t)off;
    *avail = a < c->ssz ? a : c->ssz;
    return c->d + off;
}

static int load_fat(cfb *c)
{
    const uint8_t *h = c->d;
    uint32_t nfatsec = rd32(h + 0x2C), difat = rd32(h + 0x44), ndifat = rd32(h + 0x48);
    if (nfatsec == 0 || nfatsec > c->nsect + 1)
        return corrupt(c, "bad FAT sector count");
    uint32_t per = c->ssz / 4;
    c->fat = adal__malloc((size_t)nfatsec * per * sizeof *c->fat);
    if (!c->fat)
        return adal__err(c->ctx, ADAL_ENOMEM, "out of memory");
    uint32_t got = 0;
    /* the first 109 FAT sector numbers are in the header, the rest in the DIFAT chain */
    for (uint32_t i = 0; i < 109 && got < nfatsec; i++) {
        uint32_t s = rd32(h + 0x4C + 4 * i);
        size_t av;
        const uint8_t *p = s == FREESECT ? NULL : sector(c, s, &av);
        if (s == FREESECT)
            continue;
        if (!p || av < c->ssz)
            return corrupt(c, "FAT sector outside the file");
        for (uint32_t k = 0; k < per; k++)
            c->fat[(size_t)got * per + k] = rd32(p + 4 * k);
        got++;
    }
    for (uint32_t step = 0; got < nfatsec && difat <= MAXREGSECT; step++) {
        size_t av;
        const uint8_t *p = sector(c, difat, &av);
        if (!p || av < c->ssz || step > ndifat || step > c->nsect)
            return corrupt(c, "bad DIFAT chain");
        for (uint32_t k = 0; k + 1 < per && got < nfatsec; k++) {
            uint32_t s = rd32(p + 4 * k);
            size_t av2;
            const uint8_t *q = s == FREESECT ? NULL : sector(c, s, &av2);
            if (s == FREESECT)
                continue;
            if (!q || av2 < c->ssz)
                return corrupt(c, "FAT sector outside the file");
            for (uint32_t j = 0; j < per; j++)
                c->fat[(size_t)got * per + j] = rd32(q + 4 * j);
            got++;
        }
        difat = rd32(p + 4 * (per - 1));
    }
    if (got == 0)
        return corrupt(c, "no FAT");
    c->nfat = got * per;
    return ADAL_OK;
}

/* The sector holding byte `off` of the chain starting at `start`; bounded walk. */
static int chain_seek(cfb *c, uint32_t start, uint64_t off, uint32_t *sec)
{
    uint64_t steps = off / c->ssz;
    uint32_t s = start;
    if (steps > c->nsect)
        return corrupt(c, "stream offset beyond the file");
    for (uint64_t i = 0; i < steps; i++) {
        if (s >= c->nfat)
            return corrupt(c, "broken sector chain");
        s = c->fat[s];
    }
    if (s > MAXREGSECT)
        return corrupt(c, "sector chain ends early");
    *sec = s;
    return ADAL_OK;
}

/* Copy the first `want` bytes (≤ 64, so they sit in one mini sector or one sector) of a
 * stream into buf; *got is how many the stream has. */
static int stream_head(cfb *c, uint32_t start, uint64_t size, uint8_t *buf, size_t want,
                       size_t *got)
{
    *got = 0;
    if (size == 0)
        return ADAL_OK;
    if (want > size)
        want = (size_t)size;
    const uint8_t *p;
    size_t av, inoff = 0;
    uint32_t sec = 0;
    int rc;
    if (size < c->cutoff) {
        /* mini sector `start` is 64 bytes at start × 64 inside the mini stream */
        uint64_t moff = (uint64_t)start * 64;
        if (moff + want > c->minisize)
            return corrupt(c, "mini stream sector out of range");
        rc = chain_seek(c, c->ministart, moff, &sec);
        if (rc)
            return rc;
        inoff = (size_t)(moff % c->ssz);
    } else
        sec = start;
    p = sector(c, sec, &av);
    if (!p || inoff + want > av)
        return corrupt(c, "stream outside the file");
    memcpy(buf, p + inoff, want);
    *got = want;
    return ADAL_OK;
}

enum { S_ENCINFO, S_ENCPKG, S_WORD, S_XLS, S_PPT, S__COUNT };

typedef struct {
    bool found;
    uint32_t start;
    uint64_t size;
} ent;

/* Directory entry name (UTF-16LE) to lower-case ASCII; non-ASCII becomes '?'. */
static void entry_name(const uint8_t *e, char *out, size_t cap)
{
    uint16_t nlen = rd16(e + 0x40);
    size_t n = nlen >= 2 && nlen <= 64 ? (size_t)(nlen / 2 - 1) : 0, k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        uint16_t u = rd16(e + 2 * i);
        char ch = u < 0x80 ? (char)u : '?';
        out[k++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    out[k] = '\0';
}

static int scan_dir(cfb *c, ent ents[S__COUNT])
{
    static const char *const names[S__COUNT] = {"encryptioninfo", "encryptedpackage",
                                                "worddocument", "workbook", "powerpoint document"};
    uint32_t s = rd32(c->d + 0x30);
    uint32_t per = c->ssz / 128, idx = 0;
    for (uint32_t step = 0; s != ENDOFCHAIN; step++) {
        size_t av;
        const uint8_t *p = sector(c, s, &av);
        if (!p || step > c->nsect)
            return corrupt(c, "bad directory chain");
        for (uint32_t k = 0; k < per && (size_t)(k + 1) * 128 <= av; k++, idx++) {
            const uint8_t *e = p + 128 * k;
            uint8_t type = e[0x42];
            char nm[40];
            if (type == 0)
                continue; /* unused entry */
            if (type != 1 && type != 2 && type != 5)
                return corrupt(c, "bad directory entry type");
            uint64_t size = rd32(e + 0x78);
            if (c->ssz == 4096)
                size |= (uint64_t)rd32(e + 0x7C) << 32;
            if (idx == 0) {
                if (type != 5)
                    return corrupt(c, "first directory entry is not the root");
                c->ministart = rd32(e + 0x74);
                c->minisize = size;
                continue;
            }
            if (type != 2)
                continue;
            entry_name(e, nm, sizeof nm);
            for (int i = 0; i < S__COUNT; i++)
                if (strcmp(nm, names[i]) == 0 || (i == S_XLS && strcmp(nm, "book") == 0)) {
                    ents[i].found = true;
                    ents[i].start = rd32(e + 0x74);
                    ents[i].size = size;
                }
        }
        if (s >= c->nfat)
            return corrupt(c, "broken directory chain");
        s = c->fat[s];
    }
    if (idx == 0)
        return corrupt(c, "empty directory");
    return ADAL_OK;
}

int adal__cfb_classify(adal_ctx *ctx, const uint8_t *data, size_t len)
{
    cfb c = {0};
    ent ents[S__COUNT];
    int rc;
    memset(ents, 0, sizeof ents);
    c.ctx = ctx;
    c.d = data;
    c.len = len;
    if (len < 512) {
        rc = corrupt(&c, "truncated header");
        goto out;
    }
    uint16_t major = rd16(data + 0x1A), shift = rd16(data + 0x1E);
    if (!((major == 3 && shift == 9) || (major == 4 && shift == 12))) {
        rc = corrupt(&c, "bad version or sector size");
        goto out;
    }
    c.ssz = 1u << shift;
    c.cutoff = rd32(data + 0x38);
    if (c.cutoff != 4096) { /* [MS-CFB] 2.2: MUST be 4096 */
        rc = corrupt(&c, "bad mini stream cutoff");
        goto out;
    }
    if (len <= c.ssz) {
        rc = corrupt(&c, "no sectors after the header");
        goto out;
    }
    c.nsect = (uint32_t)((len - c.ssz + c.ssz - 1) / c.ssz);
    rc = load_fat(&c);
    if (rc == ADAL_OK)
        rc = scan_dir(&c, ents);
    if (rc)
        goto out;

    if (ents[S_ENCINFO].found && ents[S_ENCPKG].found) {
        /* EncryptionInfo starts with its version ([MS-OFFCRYPTO] 2.3.4.5/2.3.4.10):
         * 4.4 Agile, {2,3,4}.2 Standard, {3,4}.3 Extensible */
        uint8_t h[8];
        size_t got;
        const char *kind = "unknown";
        rc = stream_head(&c, ents[S_ENCINFO].start, ents[S_ENCINFO].size, h, sizeof h, &got);
        if (rc)
            goto out; /* a stream outside the file: truncated, say so */
        if (got >= 4) {
            uint16_t vmaj = rd16(h), vmin = rd16(h + 2);
            if (vmaj == 4 && vmin == 4)
                kind = "Agile";
            else if (vmaj >= 2 && vmaj <= 4 && vmin == 2)
                kind = "Standard";
            else if ((vmaj == 3 || vmaj == 4) && vmin == 3)
                kind = "Extensible";
        }
        /* an unknown version still leaves no doubt that the package is encrypted */
        rc = adal__err(ctx, ADAL_EENCRYPTED,
                       "document is password-protected (%s encryption); save it without a "
                       "password",
                       kind);
    } else if (ents[S_WORD].found) {
        /* the FIB ([MS-DOC] 2.5.2): wIdent 0xA5EC, flags at 0x0A, fEncrypted = 0x0100 */
        uint8_t h[12];
        size_t got;
        bool enc = false;
        rc = stream_head(&c, ents[S_WORD].start, ents[S_WORD].size, h, sizeof h, &got);
        if (rc)
            goto out;
        if (got >= 12)
            enc = (rd16(h + 0x0A) & 0x0100) != 0;
        rc = adal__err(ctx, ADAL_ELEGACY, "legacy Word 97-2003 .doc%s; save it as .docx%s",
                       enc ? ", password-protected" : "", enc ? " without a password" : "");
    } else if (ents[S_XLS].found)
        rc = adal__err(ctx, ADAL_ENOTDOC, "an Excel workbook (OLE2 .xls), not a text document");
    else if (ents[S_PPT].found)
        rc = adal__err(ctx, ADAL_ENOTDOC,
                       "a PowerPoint presentation (OLE2 .ppt), not a text document");
    else
        rc = adal__err(ctx, ADAL_ENOTDOC,
                       "an OLE2 compound file that is neither Word nor an encrypted document");
out:
    adal__free(c.fat);
    return rc;
}
