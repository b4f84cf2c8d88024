#include "counts.h"

#include <QCoreApplication>
#include <QLocale>

#include <limits>

namespace bd::ui {

QString messageCount(qint64 count)
{
    if (count >= 0 && count <= std::numeric_limits<int>::max())
        return QCoreApplication::translate("bd::ui::Counts", "%Ln message(s)", nullptr, int(count));
    return QCoreApplication::translate("bd::ui::Counts", "%1 messages")
        .arg(QLocale().toString(count));
}

QString keyCount(qint64 count)
{
    if (count >= 0 && count <= std::numeric_limits<int>::max())
        return QCoreApplication::translate("bd::ui::Counts", "%Ln key(s)", nullptr, int(count));
    return QCoreApplication::translate("bd::ui::Counts", "%1 keys").arg(QLocale().toString(count));
}

QString recordCount(qint64 count)
{
    if (count >= 0 && count <= std::numeric_limits<int>::max())
        return QCoreApplication::translate("bd::ui::Counts", "%Ln record(s)", nullptr, int(count));
    return QCoreApplication::translate("bd::ui::Counts", "%1 records")
        .arg(QLocale().toString(count));
}

} // namespace bd::ui
