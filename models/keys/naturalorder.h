#pragma once

#include <QByteArray>

namespace bd::models {

// "Natural" order for key names: runs of digits compare as numbers (user:9 < user:10), other
// bytes compare case-insensitively for ASCII letters, then exactly (so the order is total and
// stable across runs). Works on raw bytes: binary keys sort too.
int naturalCompare(const QByteArray &a, const QByteArray &b);
inline bool naturalLess(const QByteArray &a, const QByteArray &b)
{
    return naturalCompare(a, b) < 0;
}

} // namespace bd::models
