/*
 * SQLite loadable extension: the `unicase` collation that Anki declares on deck, notetype, field,
 * template, deck-config and tag names (schema >= 14), ordered exactly as Anki orders it.
 *
 * Anki registers `unicase` as: decode both arguments with Rust's String::from_utf8_lossy
 * (rusqlite), wrap each in the `unicase` crate's UniCase (v2.6.0, pinned by Anki) and use its Ord.
 * Facts about unicase 2.6.0 this reproduces:
 *   - two ASCII-only strings: compare char by char after ASCII lower-casing;
 *   - otherwise (also when only one side is ASCII) both strings are mapped char by char through
 *     full case folding (CaseFolding.txt C+F of Unicode 12.1.0) and the resulting sequences of
 *     code points are compared lexicographically (a proper prefix is smaller);
 *   - a character whose folding has three code points is emitted as (3rd, 1st, 2nd), e.g.
 *     U+FB03 'ffi' -> "i f f", U+0390 -> U+0301 U+03B9 U+0308;
 *   - equality is the same folding, so "Maße" = "MASSE" and "ﬂour" = "flour".
 * Because ASCII lower-casing is exactly what folding does to ASCII, the whole order equals
 * "compare the folded code-point sequences", which is what this file computes, streaming and
 * without allocating. Invalid UTF-8 is decoded like from_utf8_lossy: every maximal invalid
 * subpart becomes one U+FFFD (so it never crashes and orders as Anki does).
 *
 * Also registers the SQL function unicase_fold(text) returning the folded key (for debugging and
 * tests; compare its output with COLLATE BINARY only, never with JS string order).
 *
 * Entry points: sqlite3_unicase_init (the name SQLite derives from "unicase.so") and
 * sqlite3_extension_init.
 */
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1

#include <stddef.h>
#include <stdint.h>

#include "unicase_table.h"

#ifdef _WIN32
#define UC_EXPORT __declspec(dllexport)
#else
#define UC_EXPORT __attribute__((visibility("default")))
#endif

#define UC_REPLACEMENT 0xFFFDu

/* Decodes one scalar value at *pp (< end), advancing *pp. Invalid input yields U+FFFD and
 * consumes the maximal subpart of an ill-formed sequence (at least one byte), as the Unicode
 * standard recommends and Rust's from_utf8_lossy does. */
static uint32_t uc_decode(const unsigned char **pp, const unsigned char *end) {
  const unsigned char *p = *pp;
  uint32_t c = *p++;
  unsigned need;
  unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
  if (c < 0x80) {
    *pp = p;
    return c;
  } else if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
    c &= 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0) lo = 0xA0;      /* no overlongs */
    else if (c == 0xED) hi = 0x9F; /* no surrogates */
    c &= 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0) lo = 0x90;      /* no overlongs */
    else if (c == 0xF4) hi = 0x8F; /* <= U+10FFFF */
    c &= 0x07;
  } else {
    *pp = p; /* stray continuation byte, C0, C1, F5..FF */
    return UC_REPLACEMENT;
  }
  while (need > 0) {
    if (p >= end || *p < lo || *p > hi) {
      *pp = p; /* the bytes so far form one maximal subpart */
      return UC_REPLACEMENT;
    }
    c = (c << 6) | (*p++ & 0x3F);
    lo = 0x80;
    hi = 0xBF;
    need--;
  }
  *pp = p;
  return c;
}

/* Folding of one code point: returns the number of code points (1..3), the first in *first and,
 * when more than one, the rest at *rest. */
static unsigned uc_fold(uint32_t cp, uint32_t *first, const uint32_t **rest) {
  if (cp < 0x80) {
    *first = (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    return 1;
  }
  if (cp <= UC_FOLD_MAX_KEY) {
    unsigned page = cp >> UC_PAGE_SHIFT;
    unsigned lo = uc_page_start[page], hi = uc_page_start[page + 1];
    while (lo < hi) {
      unsigned mid = (lo + hi) / 2;
      uint32_t k = uc_fold_keys[mid];
      if (k == cp) {
        uint32_t v = uc_fold_vals[mid];
        if (v & UC_MULTI_FLAG) {
          const uint32_t *seq = &uc_fold_multi[v & 0xFFFF];
          *first = seq[0];
          *rest = seq + 1;
          return (v >> 16) & 0x3;
        }
        *first = v;
        return 1;
      }
      if (k < cp) lo = mid + 1;
      else hi = mid;
    }
  }
  *first = cp;
  return 1;
}

/* A stream of folded code points over one UTF-8 string. */
typedef struct {
  const unsigned char *p, *end;
  const uint32_t *pending; /* rest of a multi-code-point folding */
  unsigned npending;
} uc_stream;

/* Next folded code point, or -1 at the end. */
static int64_t uc_next(uc_stream *s) {
  uint32_t first;
  unsigned n;
  if (s->npending) {
    s->npending--;
    return *s->pending++;
  }
  if (s->p >= s->end) return -1;
  n = uc_fold(uc_decode(&s->p, s->end), &first, &s->pending);
  s->npending = n - 1;
  return first;
}

static int uc_compare(int na, const unsigned char *a, int nb, const unsigned char *b) {
  int n = na < nb ? na : nb, i;
  uc_stream sa, sb;
  /* ASCII fast path: while both sides are ASCII at the same offset, every byte is one code point
   * on each side, so the folded streams stay aligned. */
  for (i = 0; i < n; i++) {
    unsigned x = a[i], y = b[i];
    if ((x | y) & 0x80) break;
    if (x - 'A' < 26u) x += 32;
    if (y - 'A' < 26u) y += 32;
    if (x != y) return x < y ? -1 : 1;
  }
  /* One side exhausted: the other has at least one more byte, hence at least one more folded
   * code point (nothing folds to nothing; invalid bytes become U+FFFD). */
  if (i == n) return na == nb ? 0 : (na < nb ? -1 : 1);

  sa.p = a + i; sa.end = a + na; sa.pending = NULL; sa.npending = 0;
  sb.p = b + i; sb.end = b + nb; sb.pending = NULL; sb.npending = 0;
  for (;;) {
    int64_t x = uc_next(&sa), y = uc_next(&sb);
    if (x != y) return x < y ? -1 : 1; /* the end (-1) sorts first */
    if (x < 0) return 0;
  }
}

static int uc_collate(void *unused, int na, const void *a, int nb, const void *b) {
  (void)unused;
  if (na < 0) na = 0;
  if (nb < 0) nb = 0;
  return uc_compare(na, (const unsigned char *)a, nb, (const unsigned char *)b);
}

/* unicase_fold(x): the folded key as TEXT (NULL stays NULL). */
static void uc_fold_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const unsigned char *s;
  int len;
  sqlite3_uint64 cap;
  unsigned char *out, *o;
  uc_stream st;
  int64_t c;
  (void)argc;
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  s = sqlite3_value_text(argv[0]);
  len = sqlite3_value_bytes(argv[0]);
  if (!s) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  /* each input byte yields at most 3 code points of at most 4 bytes */
  cap = (sqlite3_uint64)len * 12 + 1;
  out = sqlite3_malloc64(cap);
  if (!out) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  o = out;
  st.p = s; st.end = s + len; st.pending = NULL; st.npending = 0;
  while ((c = uc_next(&st)) >= 0) {
    uint32_t u = (uint32_t)c;
    if (u < 0x80) {
      *o++ = (unsigned char)u;
    } else if (u < 0x800) {
      *o++ = (unsigned char)(0xC0 | (u >> 6));
      *o++ = (unsigned char)(0x80 | (u & 0x3F));
    } else if (u < 0x10000) {
      *o++ = (unsigned char)(0xE0 | (u >> 12));
      *o++ = (unsigned char)(0x80 | ((u >> 6) & 0x3F));
      *o++ = (unsigned char)(0x80 | (u & 0x3F));
    } else {
      *o++ = (unsigned char)(0xF0 | (u >> 18));
      *o++ = (unsigned char)(0x80 | ((u >> 12) & 0x3F));
      *o++ = (unsigned char)(0x80 | ((u >> 6) & 0x3F));
      *o++ = (unsigned char)(0x80 | (u & 0x3F));
    }
  }
  sqlite3_result_text64(ctx, (const char *)out, (sqlite3_uint64)(o - out), sqlite3_free, SQLITE_UTF8);
}

UC_EXPORT int sqlite3_unicase_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  int rc;
  (void)pzErrMsg;
  SQLITE_EXTENSION_INIT2(pApi);
  rc = sqlite3_create_collation_v2(db, "unicase", SQLITE_UTF8, NULL, uc_collate, NULL);
  if (rc != SQLITE_OK) return rc;
  return sqlite3_create_function_v2(db, "unicase_fold", 1,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                    uc_fold_func, NULL, NULL, NULL);
}

UC_EXPORT int sqlite3_extension_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  return sqlite3_unicase_init(db, pzErrMsg, pApi);
}
