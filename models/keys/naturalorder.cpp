#include "naturalorder.h"

namespace bd::models {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

char fold(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

} // namespace

int naturalCompare(const QByteArray &a, const QByteArray &b)
{
    const char *p = a.constData();
    const char *q = b.constData();
    const char *pe = p + a.size();
    const char *qe = q + b.size();
    int tieBreak = 0; // decided by leading zeros or letter case when all else is equal
    while (p < pe && q < qe) {
        if (isDigit(*p) && isDigit(*q)) {
            const char *ps = p, *qs = q;
            while (ps < pe && *ps == '0')
                ++ps;
            while (qs < qe && *qs == '0')
                ++qs;
            const char *pd = ps, *qd = qs;
            while (pd < pe && isDigit(*pd))
                ++pd;
            while (qd < qe && isDigit(*qd))
                ++qd;
            if ((pd - ps) != (qd - qs))
                return (pd - ps) < (qd - qs) ? -1 : 1; // more significant digits: bigger
            for (const char *x = ps, *y = qs; x < pd; ++x, ++y) {
                if (*x != *y)
                    return *x < *y ? -1 : 1;
            }
            if (tieBreak == 0 && (ps - p) != (qs - q))
                tieBreak = (ps - p) < (qs - q) ? -1 : 1; // "7" before "007"
            p = pd;
            q = qd;
            continue;
        }
        const char fp = fold(*p), fq = fold(*q);
        if (fp != fq)
            return static_cast<unsigned char>(fp) < static_cast<unsigned char>(fq) ? -1 : 1;
        if (tieBreak == 0 && *p != *q)
            tieBreak = static_cast<unsigned char>(*p) < static_cast<unsigned char>(*q) ? -1 : 1;
        ++p;
        ++q;
    }
    if (p < pe || q < qe)
        return p < pe ? 1 : -1; // a prefix comes first
    return tieBreak;
}

} // namespace bd::models
