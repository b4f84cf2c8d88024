#pragma once

#include <QByteArray>
#include <QString>

namespace bd::models {

// How the detail pane shows a string value (or its preview). Built only when a key is opened.
struct ValueView
{
    enum class Kind { Empty, Text, Json, Binary, Pickle };
    Kind kind = Kind::Empty;
    QString text; // what to show
    QString note; // "JSON", "binary: 1.2 KiB shown as hex", "pickle: never deserialised", …
};

enum class ValueMode { Auto, Text, Hex };

// totalBytes: the value's full length (STRLEN), when only a preview was read; a character
// the preview cut in two is left out rather than turning the text into hex.
ValueView formatValue(const QByteArray &bytes, qint64 totalBytes, ValueMode mode = ValueMode::Auto);

// "00000000  7b 22 69 64 …  |{"id…|", 16 bytes a line.
QString hexDump(const QByteArray &bytes);

} // namespace bd::models
