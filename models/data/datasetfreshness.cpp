#include "datasetfreshness.h"

#include <QCoreApplication>

namespace bd::models {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("bd::models::DatasetFreshness", text);
}

// "1 h", "15 min", "40 s": an expected TTL as people say it.
QString duration(qint64 seconds)
{
    if (seconds % 3600 == 0)
        return tr("%1 h").arg(seconds / 3600);
    if (seconds % 60 == 0)
        return tr("%1 min").arg(seconds / 60);
    return tr("%1 s").arg(seconds);
}

} // namespace

QString countdownText(qint64 seconds)
{
    seconds = qMax<qint64>(0, seconds);
    const qint64 days = seconds / 86400;
    const qint64 h = seconds / 3600 % 24;
    const qint64 m = seconds / 60 % 60;
    const qint64 s = seconds % 60;
    const auto two = [](qint64 v) {
        return QStringLiteral("%1").arg(v, 2, 10, QLatin1Char('0'));
    };
    if (days > 0)
        return tr("%1 d %2:%3:%4").arg(days).arg(h).arg(two(m), two(s));
    if (h > 0)
        return QStringLiteral("%1:%2:%3").arg(h).arg(two(m), two(s));
    return QStringLiteral("%1:%2").arg(m).arg(two(s));
}

DatasetFreshness DatasetFreshness::assess(bool missing, const QDateTime &expiresAt,
                                          qint64 expectedTtl, const QDateTime &lastChange,
                                          const QDateTime &now)
{
    DatasetFreshness f;
    if (missing || (expiresAt.isValid() && expiresAt <= now)) {
        f.state = State::Expired;
        f.label = tr("Expired");
        f.detail = tr("The cache is empty: the service will read its source on the next request.");
        f.tone = Tone::Error;
        return f;
    }
    if (!expiresAt.isValid()) {
        // No TTL: the cache never expires by itself. Stale once older than expected.
        const bool old =
            expectedTtl > 0 && (!lastChange.isValid() || lastChange.secsTo(now) > expectedTtl);
        if (old) {
            f.state = State::Stale;
            f.label = tr("Stale");
            f.detail = lastChange.isValid()
                           ? tr("The key has no TTL and was last written %1 ago, longer than the "
                                "%2 it is expected to be kept.")
                                 .arg(countdownText(lastChange.secsTo(now)), duration(expectedTtl))
                           : tr("The key has no TTL (expected %1): nothing here says when it was "
                                "written, so it may be older than that.")
                                 .arg(duration(expectedTtl));
            f.tone = Tone::Warning;
            return f;
        }
        f.state = State::Fresh;
        f.label = tr("Fresh");
        f.detail = tr("The key has no TTL: it stays until it is written or deleted.");
        f.tone = Tone::Success;
        return f;
    }
    const qint64 left = now.secsTo(expiresAt);
    // Soon: the last tenth of the expected time, at least the last minute.
    const qint64 soon = qMax<qint64>(60, expectedTtl / 10);
    if (left <= soon) {
        f.state = State::ExpiringSoon;
        f.label = tr("Expiring soon");
        f.detail =
            tr("Expires in %1; then the service reads its source again.").arg(countdownText(left));
        f.tone = Tone::Warning;
        return f;
    }
    f.state = State::Fresh;
    f.label = tr("Fresh");
    f.detail = expectedTtl > 0 ? tr("Expires in %1 (kept for %2 after each write).")
                                     .arg(countdownText(left), duration(expectedTtl))
                               : tr("Expires in %1.").arg(countdownText(left));
    f.tone = Tone::Success;
    return f;
}

} // namespace bd::models
