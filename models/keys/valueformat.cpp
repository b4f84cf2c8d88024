#include "valueformat.h"

#include "codec/untrustedjson.h"

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
    return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x80 && bytes[1] >= 2
           && bytes[1] <= 5;
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

namespace {

constexpr int kMaxLayers = 3;

bool isStrictBase64(const QByteArray &bytes)
{
    if (bytes.size() < 16 || bytes.size() % 4 != 0)
        return false;
    for (char c : bytes) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
              || c == '/' || c == '='))
            return false;
    }
    return true;
}

// A MessagePack value that takes exactly these bytes.
bool parseMessagePack(const QByteArray &bytes, nlohmann::json *out)
{
    auto parsed = connectors::parseUntrustedMessagePack(bytes);
    if (!parsed.ok())
        return false;
    *out = std::move(parsed.value);
    return true;
}

bool startsLikeMessagePackContainer(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return false;
    const auto b = static_cast<unsigned char>(bytes[0]);
    return (b >= 0x81 && b <= 0x9f) || b == 0xdc || b == 0xdd || b == 0xde || b == 0xdf;
}

bool looksLikeJson(const QByteArray &bytes)
{
    const QByteArray t = bytes.trimmed();
    return t.startsWith('{') || t.startsWith('[');
}

// Something worth showing decoded: compressed, JSON, pickle, or a MessagePack container.
bool recognisable(const QByteArray &bytes)
{
    nlohmann::json j;
    return looksCompressed(bytes) || looksLikePickle(bytes)
           || (looksLikeJson(bytes) && isText(bytes))
           || (startsLikeMessagePackContainer(bytes) && parseMessagePack(bytes, &j));
}

QString dumpJson(const nlohmann::json &json)
{
    return connectors::jsonToText(json, 2);
}

QString describeJson(const nlohmann::json &json)
{
    if (json.is_array())
        return QObject::tr("JSON array of %n item(s)", nullptr, int(json.size()));
    if (json.is_object())
        return QObject::tr("JSON object");
    return QObject::tr("JSON value");
}

// The view of bytes with no layer left to peel: pickle, text (JSON or not), MessagePack, hex.
ValueView classify(const QByteArray &bytes, bool partial, ValueMode mode)
{
    ValueView view;
    if (mode == ValueMode::MessagePack) {
        nlohmann::json json;
        if (parseMessagePack(bytes, &json)) {
            view.kind = ValueView::Kind::MessagePack;
            view.text = dumpJson(json);
            view.json = connectors::jsonToBytes(json);
            view.note = QObject::tr("MessagePack");
            return view;
        }
        view.kind = ValueView::Kind::Binary;
        view.text = hexDump(bytes);
        view.note = QObject::tr("not MessagePack (%1), shown as hex")
                        .arg(partial ? QObject::tr("only a preview was read")
                                     : QObject::tr("it does not decode"));
        return view;
    }
    if (mode == ValueMode::Hex || looksLikePickle(bytes) || !isText(bytes)) {
        nlohmann::json json;
        if (mode != ValueMode::Hex && !looksLikePickle(bytes)
            && startsLikeMessagePackContainer(bytes) && parseMessagePack(bytes, &json)) {
            view.kind = ValueView::Kind::MessagePack;
            view.text = dumpJson(json);
            view.json = connectors::jsonToBytes(json);
            view.note = QObject::tr("MessagePack");
            return view;
        }
        view.kind = looksLikePickle(bytes) && mode != ValueMode::Hex ? ValueView::Kind::Pickle
                                                                     : ValueView::Kind::Binary;
        view.text = hexDump(bytes.left(kMaxHexBytes));
        view.note = view.kind == ValueView::Kind::Pickle
                        ? QObject::tr("Python pickle: shown as bytes, never deserialised")
                        : QObject::tr("binary, shown as hex");
        if (bytes.size() > kMaxHexBytes)
            view.note += QObject::tr(" (the first %1; save to file for all)")
                             .arg(QLocale().formattedDataSize(kMaxHexBytes));
        return view;
    }
    view.kind = ValueView::Kind::Text;
    view.text = QString::fromUtf8(bytes);
    view.note = QObject::tr("text");
    if (mode == ValueMode::Text || partial || !looksLikeJson(bytes))
        return view;
    const auto parsed = connectors::parseUntrustedJson(bytes);
    if (parsed.ok()) {
        view.kind = ValueView::Kind::Json;
        view.text = dumpJson(parsed.value);
        view.json = bytes;
        view.note = describeJson(parsed.value);
    } else {
        // Where the JSON breaks, as an editor would say it; the cursor is put there.
        const QByteArray before = bytes.left(qMax<qint64>(0, parsed.error.offset));
        view.jsonErrorOffset = QString::fromUtf8(before).size();
        view.jsonError = parsed.error.toString();
        view.note = QObject::tr("text; not valid JSON at %1").arg(view.jsonError);
    }
    return view;
}

} // namespace

ValueView formatValue(const QByteArray &input, qint64 totalBytes, ValueMode mode)
{
    const QLocale locale;
    const bool partial = totalBytes > input.size();
    QByteArray bytes = partial && mode != ValueMode::Hex ? withoutCutCharacter(input) : input;
    const QString partNote = partial ? QObject::tr("first %1 of %2")
                                           .arg(locale.formattedDataSize(bytes.size()),
                                                locale.formattedDataSize(totalBytes))
                                     : QString();
    if (bytes.isEmpty() && !partial) {
        ValueView view;
        view.note = QObject::tr("empty string");
        return view;
    }
    // Layers peeled before the bytes are shown: base64, zlib, gzip (each at most a few times).
    QStringList layers;
    bool layerPartial = partial;
    if (mode == ValueMode::Base64) {
        const auto decoded = QByteArray::fromBase64Encoding(
            input.simplified().replace(' ', ""), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            ValueView view = classify(bytes, partial, ValueMode::Text);
            view.note = QObject::tr("not base64; shown as text");
            return view;
        }
        layers << QObject::tr("base64");
        bytes = *decoded;
        mode = ValueMode::Auto;
    }
    if (mode == ValueMode::Auto) {
        for (int i = 0; i < kMaxLayers; ++i) {
            if (looksCompressed(bytes)) {
                bool complete = false;
                const QByteArray inflated = inflate(bytes, kMaxInflatedBytes, &complete);
                if (inflated.isEmpty() && !bytes.isEmpty())
                    break;
                layers << QObject::tr("%1 %2 → %3%4")
                              .arg(static_cast<unsigned char>(bytes[0]) == 0x1f
                                       ? QStringLiteral("gzip")
                                       : QStringLiteral("zlib"),
                                   locale.formattedDataSize(bytes.size()),
                                   locale.formattedDataSize(inflated.size()),
                                   complete ? QString() : QObject::tr(" (partly)"));
                layerPartial = layerPartial || !complete;
                bytes = inflated;
                continue;
            }
            if (!partial && isStrictBase64(bytes)) {
                const auto decoded =
                    QByteArray::fromBase64Encoding(bytes, QByteArray::AbortOnBase64DecodingErrors);
                if (decoded && recognisable(*decoded)) {
                    layers << QObject::tr("base64");
                    bytes = *decoded;
                    continue;
                }
            }
            break;
        }
    }
    ValueView view = classify(bytes, layerPartial, mode);
    if (!layers.isEmpty())
        view.note = layers.join(QStringLiteral(" · ")) + QStringLiteral(" · ") + view.note;
    else if (mode == ValueMode::Auto && view.kind == ValueView::Kind::Text && isStrictBase64(bytes))
        view.note += QObject::tr("; looks like base64 (choose Base64 to decode)");
    if (view.text.size() > kMaxShownCharacters) {
        view.text.truncate(kMaxShownCharacters);
        view.note += QObject::tr(" — the first %1 characters shown; save to file for all")
                         .arg(locale.toString(kMaxShownCharacters));
    }
    if (partial)
        view.note += QStringLiteral(" — ") + partNote;
    return view;
}

} // namespace bd::models
