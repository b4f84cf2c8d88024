#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace bd::connectors {

// Splits a line typed in a console into command arguments, with redis-cli's rules:
// words separated by spaces; "double quotes" with \n \r \t \b \a \\ \" and \xHH escapes;
// 'single quotes' with only \' escaped. A closing quote must end the word.
// Text outside escapes is encoded as UTF-8, so Cyrillic keys type as they read.
struct CommandLineSplit
{
    bool ok = false;
    QString error; // "unbalanced quotes", …
    QList<QByteArray> args;

    static CommandLineSplit split(const QString &line);
};

} // namespace bd::connectors
