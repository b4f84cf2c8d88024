#include "untrustedjson.h"

#include <QCoreApplication>

#include <new>

namespace bd::connectors {

namespace {

// Error texts are at most this long: a string never closed makes nlohmann's "last read"
// the rest of the input, up to megabytes.
constexpr qsizetype kMaxReasonCharacters = 200;

QString tooDeepReason(int maxDepth)
{
    return QCoreApplication::translate("bd::connectors::UntrustedJson",
                                       "nested deeper than %1 levels")
        .arg(maxDepth);
}

// "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error …"
// → "syntax error …"; "[json.exception.out_of_range.406] number overflow parsing '1e400'"
// → "number overflow parsing '1e400'". The position is said by JsonError itself.
QString reasonOf(const char *what)
{
    QString text = QString::fromUtf8(what);
    if (text.startsWith(QLatin1Char('['))) {
        const qsizetype close = text.indexOf(QLatin1String("] "));
        if (close >= 0)
            text = text.mid(close + 2);
    }
    if (text.startsWith(QLatin1String("parse error"))) {
        const qsizetype colon = text.indexOf(QLatin1String(": "));
        if (colon >= 0)
            text = text.mid(colon + 2);
    }
    if (text.size() > kMaxReasonCharacters)
        text = text.left(kMaxReasonCharacters) + QChar(0x2026);
    return text;
}

// Line and column of a byte offset in text, the way an editor counts them.
void locate(QByteArrayView bytes, JsonError *error)
{
    const qint64 offset = qBound<qint64>(0, error->offset, bytes.size());
    const QByteArrayView before = bytes.first(offset);
    const qsizetype lineStart = before.lastIndexOf('\n') + 1;
    error->line = before.count('\n') + 1;
    error->column = QString::fromUtf8(before.sliced(lineStart)).size() + 1;
}

// The offset of the bracket that opens level maxDepth + 1, outside strings. Only run after the
// parser stopped for depth, so the text up to there is valid JSON.
qint64 offsetPastDepth(QByteArrayView bytes, int maxDepth)
{
    int depth = 0;
    bool inString = false;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth)
                return i;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return -1;
}

// nlohmann's DOM builder with the depth capped and the error kept instead of thrown.
template<class Json> class CappedDomBuilder
{
public:
    using number_integer_t = typename Json::number_integer_t;
    using number_unsigned_t = typename Json::number_unsigned_t;
    using number_float_t = typename Json::number_float_t;
    using string_t = typename Json::string_t;
    using binary_t = typename Json::binary_t;

    CappedDomBuilder(Json &root, int maxDepth)
        : m_dom(root, false)
        , m_maxDepth(maxDepth)
    {}

    bool null() { return m_dom.null(); }
    bool boolean(bool v) { return m_dom.boolean(v); }
    bool number_integer(number_integer_t v) { return m_dom.number_integer(v); }
    bool number_unsigned(number_unsigned_t v) { return m_dom.number_unsigned(v); }
    bool number_float(number_float_t v, const string_t &s) { return m_dom.number_float(v, s); }
    bool string(string_t &v) { return m_dom.string(v); }
    bool binary(binary_t &v) { return m_dom.binary(v); }
    bool key(string_t &v) { return m_dom.key(v); }
    bool start_object(std::size_t n) { return enter() && m_dom.start_object(n); }
    bool start_array(std::size_t n) { return enter() && m_dom.start_array(n); }
    bool end_object()
    {
        --m_depth;
        return m_dom.end_object();
    }
    bool end_array()
    {
        --m_depth;
        return m_dom.end_array();
    }

    template<class Exception>
    bool parse_error(std::size_t position, const std::string &lastToken, const Exception &e)
    {
        // A syntax error is where reading stopped; a number out of range (406) is the
        // whole number, said from where it starts.
        m_position = qint64(position) - (e.id == 406 ? qint64(lastToken.size()) : 1);
        m_reason = reasonOf(e.what());
        return m_dom.parse_error(position, {}, e); // false: parsing stops
    }

    bool tooDeep() const { return m_tooDeep; }
    qint64 position() const { return m_position; }
    const QString &reason() const { return m_reason; }

private:
    bool enter()
    {
        if (++m_depth <= m_maxDepth)
            return true;
        m_tooDeep = true;
        return false;
    }

    nlohmann::detail::json_sax_dom_parser<Json> m_dom;
    int m_maxDepth;
    int m_depth = 0;
    bool m_tooDeep = false;
    qint64 m_position = -1; // of the offending byte
    QString m_reason;
};

template<class Json>
JsonParseResult<Json> parse(QByteArrayView bytes, int maxDepth,
                            nlohmann::detail::input_format_t format)
{
    using nlohmann::detail::input_format_t;
    const bool text = format == input_format_t::json;
    JsonParseResult<Json> result;
    CappedDomBuilder<Json> builder(result.value, qMax(1, maxDepth));
    bool parsed = false;
    try {
        parsed = Json::sax_parse(bytes.begin(), bytes.end(), &builder, format, true);
    } catch (const std::bad_alloc &) {
        result.error.reason = QCoreApplication::translate("bd::connectors::UntrustedJson",
                                                          "too large to decode in memory");
    } catch (const std::exception &e) {
        // out_of_range 408 (a container claiming more items than memory can hold) is thrown
        // by the DOM builder whether or not exceptions were asked for.
        result.error.reason = reasonOf(e.what());
    }
    if (parsed && result.error.isEmpty())
        return result;
    if (builder.tooDeep()) {
        result.error.reason = tooDeepReason(qMax(1, maxDepth));
        result.error.offset = text ? offsetPastDepth(bytes, qMax(1, maxDepth)) : -1;
    } else if (!builder.reason().isEmpty()) {
        result.error.reason = builder.reason();
        result.error.offset = qBound<qint64>(0, builder.position(), bytes.size());
    } else if (result.error.isEmpty()) {
        result.error.reason =
            QCoreApplication::translate("bd::connectors::UntrustedJson", "not a valid value");
    }
    if (text && result.error.offset >= 0)
        locate(bytes, &result.error);
    result.value = Json();
    return result;
}

template<class Json> QByteArray dumpBytes(const Json &value, int indent)
{
    try {
        return QByteArray::fromStdString(
            value.dump(indent, ' ', false, Json::error_handler_t::replace));
    } catch (const std::exception &) {
        // replace leaves nothing to throw about but memory.
        return QByteArrayLiteral("null");
    }
}

} // namespace

QString JsonError::toString() const
{
    if (line > 0)
        return QCoreApplication::translate("bd::connectors::UntrustedJson",
                                           "line %1, column %2: %3")
            .arg(line)
            .arg(column)
            .arg(reason);
    if (offset >= 0)
        return QCoreApplication::translate("bd::connectors::UntrustedJson", "byte %1: %2")
            .arg(offset)
            .arg(reason);
    return reason;
}

JsonParseResult<nlohmann::json> parseUntrustedJson(QByteArrayView bytes, int maxDepth)
{
    return parse<nlohmann::json>(bytes, maxDepth, nlohmann::detail::input_format_t::json);
}

JsonParseResult<nlohmann::ordered_json> parseUntrustedOrderedJson(QByteArrayView bytes,
                                                                  int maxDepth)
{
    return parse<nlohmann::ordered_json>(bytes, maxDepth, nlohmann::detail::input_format_t::json);
}

JsonParseResult<nlohmann::json> parseUntrustedMessagePack(QByteArrayView bytes, int maxDepth)
{
    return parse<nlohmann::json>(bytes, maxDepth, nlohmann::detail::input_format_t::msgpack);
}

QByteArray jsonToBytes(const nlohmann::json &value, int indent)
{
    return dumpBytes(value, indent);
}

QByteArray jsonToBytes(const nlohmann::ordered_json &value, int indent)
{
    return dumpBytes(value, indent);
}

QString jsonToText(const nlohmann::json &value, int indent)
{
    return QString::fromUtf8(dumpBytes(value, indent));
}

QString jsonToText(const nlohmann::ordered_json &value, int indent)
{
    return QString::fromUtf8(dumpBytes(value, indent));
}

} // namespace bd::connectors
