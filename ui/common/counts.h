#pragma once

#include <QString>
#include <QtGlobal>

namespace bd::ui {

// "1 message", "12,408 messages": a count of messages in the locale's digits, in the plural form
// its number takes (beyond what tr's %n takes, an int, the plural form is kept).
QString messageCount(qint64 count);
// "1 key", "3,000,000 keys".
QString keyCount(qint64 count);

// "1 record", "100,000 records".
QString recordCount(qint64 count);

} // namespace bd::ui
