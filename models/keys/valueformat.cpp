#include "valueformat.h"

#include <QLocale>
#include <QStringDecoder>

#include <nlohmann/json.hpp>

namespace bd::models {

namespace {

// Text: valid UTF-8 without NUL bytes (a NUL in a value means bytes, not text).
bool isText(const QByteArray &bytes)
{
    if (bytes.contains('\0'))
        return false;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder(bytes); // decode() is lazy: convert to see errors
    return !decoder.hasError();
}

// Pickle protocol 2+ starts with PROTO (0x80) and the protocol number. Shown, never loaded.
bool looksLikePickle(const QByteArray &bytes)
{
    return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x80 && bytes[1] >= 2 && bytes[1] <= 5;
}

} // namespace

QString hexDump(const QByteArray &bytes)
{
    QString out;
    out.reserve(bytes.size() * 4 + bytes.size() / 16 * 12);
    for (qsizetype line = 0; line < bytes.size(); line += 16) {
        out += QStringLiteral("%1  ").arg(line, 8, 16, QLatin1Char('0'));
        QString ascii;
        for (qsizetype i = line; i < line + 16; ++i) {
            if (i < bytes.size()) {
                const auto c = static_cast<unsigned char>(bytes[i]);
                out += QStringLiteral("%1 ").arg(c, 2, 16, QLatin1Char('0'));
                ascii += (c >= 0x20 && c < 0x7f) ? QLatin1Char(char(c)) : QLatin1Char('.');
            } else {
                out += QStringLiteral("   ");
            }
            if (i == line + 7)
                out += QLatin1Char(' ');
        }
        out += QStringLiteral(" |") + ascii + QStringLiteral("|\n");
    }
    return out;
}

// A preview cut by GETRANGE may end inside a multi-byte character: drop that tail.
QByteArray withoutCutCharacter(const QByteArray &bytes)
{
    for (qsizetype back = 1; back <= 3 && back <= bytes.size(); ++back) {
        const auto c = static_cast<unsigned char>(bytes[bytes.size() - back]);
        if ((c & 0xC0) == 0x80)
            continue; // a continuation byte: look further back for the lead byte
        const int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        return need > back ? bytes.left(bytes.size() - back) : bytes;
    }
    return bytes;
}

ValueView formatValue(const QByteArray &input, qint64 totalBytes, ValueMode mode)
{
    ValueView view;
    const QLocale locale;
    const bool partial = totalBytes > input.size();
    const QByteArray bytes = partial && mode != ValueMode::Hex ? withoutCutCharacter(input) : input;
    const QString partNote = partial ? QObject::tr("first %1 of %2").arg(locale.formattedDataSize(bytes.size()),
                                                                         locale.formattedDataSize(totalBytes))
                                     : QString();
    if (bytes.isEmpty() && !partial) {
        view.note = QObject::tr("empty string");
        return view;
    }
    if (mode == ValueMode::Hex || (mode == ValueMode::Auto && (looksLikePickle(bytes) || !isText(bytes)))) {
        view.kind = looksLikePickle(bytes) ? ValueView::Kind::Pickle : ValueView::Kind::Binary;
        view.text = hexDump(bytes);
        view.note = view.kind == ValueView::Kind::Pickle
                        ? QObject::tr("Python pickle: shown as bytes, never deserialised")
                        : QObject::tr("binary, shown as hex");
    } else {
        view.kind = ValueView::Kind::Text;
        view.text = QString::fromUtf8(bytes);
        view.note = QObject::tr("text");
        if (mode == ValueMode::Auto && !partial) {
            const auto json = nlohmann::json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
            if (!json.is_discarded() && (json.is_object() || json.is_array())) {
                view.kind = ValueView::Kind::Json;
                view.text = QString::fromStdString(json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
                view.note = json.is_array() ? QObject::tr("JSON array of %n item(s)", nullptr, int(json.size()))
                                            : QObject::tr("JSON object");
            }
        }
    }
    if (partial)
        view.note += QStringLiteral(" — ") + partNote;
    return view;
}

} // namespace bd::models
