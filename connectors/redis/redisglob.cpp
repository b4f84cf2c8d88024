#include "redisglob.h"

namespace bd::connectors {

namespace {

// Matches the class starting after '[' at pattern[p]; sets p past the closing ']'.
bool classMatches(QByteArrayView pattern, qsizetype &p, char c)
{
    const qsizetype n = pattern.size();
    bool negate = false;
    if (p < n && pattern[p] == '^') {
        negate = true;
        ++p;
    }
    bool matched = false;
    while (p < n && pattern[p] != ']') {
        if (pattern[p] == '\\' && p + 1 < n) {
            ++p;
            matched |= pattern[p] == c;
            ++p;
        } else if (p + 2 < n && pattern[p + 1] == '-' && pattern[p + 2] != ']') {
            char lo = pattern[p];
            char hi = pattern[p + 2];
            if (static_cast<unsigned char>(lo) > static_cast<unsigned char>(hi))
                std::swap(lo, hi);
            const auto u = static_cast<unsigned char>(c);
            matched |= u >= static_cast<unsigned char>(lo) && u <= static_cast<unsigned char>(hi);
            p += 3;
        } else {
            matched |= pattern[p] == c;
            ++p;
        }
    }
    if (p < n)
        ++p; // ']'; an unclosed class ends with the pattern, as in Redis
    return matched != negate;
}

} // namespace

bool globMatches(QByteArrayView pattern, QByteArrayView text)
{
    const qsizetype pn = pattern.size();
    const qsizetype tn = text.size();
    qsizetype p = 0;
    qsizetype t = 0;
    qsizetype starP = -1; // the pattern position after the last '*'
    qsizetype starT = 0;  // where the text was when that '*' was met
    while (t < tn) {
        if (p < pn) {
            const char pc = pattern[p];
            if (pc == '*') {
                while (p < pn && pattern[p] == '*')
                    ++p;
                if (p == pn)
                    return true;
                starP = p;
                starT = t;
                continue;
            }
            if (pc == '?') {
                ++p;
                ++t;
                continue;
            }
            if (pc == '[') {
                qsizetype q = p + 1;
                if (classMatches(pattern, q, text[t])) {
                    p = q;
                    ++t;
                    continue;
                }
            } else {
                qsizetype q = p;
                if (pc == '\\' && q + 1 < pn)
                    ++q;
                if (pattern[q] == text[t]) {
                    p = q + 1;
                    ++t;
                    continue;
                }
            }
        }
        // Mismatch: let the last '*' swallow one more byte, or fail.
        if (starP < 0)
            return false;
        p = starP;
        t = ++starT;
    }
    while (p < pn && pattern[p] == '*')
        ++p;
    return p == pn;
}

bool isGlobPattern(QByteArrayView text)
{
    return text.contains('*') || text.contains('?') || text.contains('[');
}

} // namespace bd::connectors
