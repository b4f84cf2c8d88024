#pragma once

#include <QByteArrayView>

namespace bd::connectors {

// Whether `text` matches a Redis glob as KEYS, SCAN MATCH and PSUBSCRIBE read it: `*` any run,
// `?` one byte, `[abc]`, `[a-z]`, `[^a]` classes, `\x` a literal x. Bytes, not characters.
// Iterative, with one backtrack point: linear in practice, never exponential.
bool globMatches(QByteArrayView pattern, QByteArrayView text);

// Whether `text` is a pattern rather than a plain name: it has a `*`, `?` or `[` (escaped
// ones too: `a\*` is the pattern that matches "a*" only).
bool isGlobPattern(QByteArrayView text);

} // namespace bd::connectors
