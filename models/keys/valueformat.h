#pragma once

#include "codec/compression.h"

#include <QByteArray>
#include <QString>

namespace bd::models {

// How the detail pane shows a string value (or its preview). Built only when a key is opened.
struct ValueView
{
    enum class Kind { Empty, Text, Json, MessagePack, Binary, Pickle };
    Kind kind = Kind::Empty;
    QString text; // what to show
    QString note; // "JSON object", "gzip 1.2 KiB → 9 KiB · JSON object", "pickle: never
                  // deserialised", …
    // Json and MessagePack: the value as compact JSON, for the tree view.
    QByteArray json;
    // Text that looks like JSON but does not parse: where and why ("line 3, column 7: …").
    QString jsonError;
    qint64 jsonErrorOffset = -1; // byte offset in the text shown
};

enum class ValueMode {
    Auto,   // inflate zlib/gzip, decode base64 when what it hides is recognisable, then pick a view
    Text,   // UTF-8 as it is
    Hex,    // every byte
    Base64, // decode base64 first, then as Auto
    MessagePack, // decode as MessagePack
};

// What a view shows at most, however big the value: the text widget takes about 80 ms per
// million characters, and hex costs about five characters a byte.
constexpr qsizetype kMaxShownCharacters = 2'000'000;
constexpr qsizetype kMaxHexBytes = 384 * 1024;
// What zlib/gzip may inflate to for display (a small value can hide a bomb).
constexpr qint64 kMaxInflatedBytes = 16 * 1024 * 1024;

// totalBytes: the value's full length (STRLEN), when only a preview was read; a character
// the preview cut in two is left out rather than turning the text into hex.
ValueView formatValue(const QByteArray &bytes, qint64 totalBytes, ValueMode mode = ValueMode::Auto);

// "00000000  7b 22 69 64 …  |{"id…|", 16 bytes a line.
QString hexDump(const QByteArray &bytes);

using connectors::inflate;
using connectors::looksCompressed;

} // namespace bd::models
