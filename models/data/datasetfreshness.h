#pragma once

#include "common/tones.h"

#include <QDateTime>
#include <QString>

namespace bd::models {

// How fresh a dataset's cache is, as the operator reads it: from the key's expiry, what the
// service is expected to keep it for, and the last change seen.
struct DatasetFreshness
{
    enum class State { Unknown, Fresh, ExpiringSoon, Expired, Stale };

    State state = State::Unknown;
    QString label;  // "Fresh", "Expiring soon", …
    QString detail; // one sentence: why, and what it means
    Tone tone = Tone::Muted;

    // missing: the key is gone. expiresAt: null when the key has no TTL. expectedTtl: seconds
    // (0: not known). lastChange: the last write seen (null: none seen).
    static DatasetFreshness assess(bool missing, const QDateTime &expiresAt, qint64 expectedTtl,
                                   const QDateTime &lastChange, const QDateTime &now);
};

// "59:58", "1:02:03", "3 d 4:05:06": time left, to the second.
QString countdownText(qint64 seconds);

} // namespace bd::models
