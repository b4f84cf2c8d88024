#include "replyformatter.h"

#include <nlohmann/json.hpp>

namespace bd::connectors {

namespace {

// Length of the valid UTF-8 sequence starting at p (≥ 2 bytes), or 0 if not a valid one.
int utf8SequenceLength(const unsigned char *p, qsizetype available)
{
    const unsigned char c = p[0];
    int len = 0;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4;
    else
        return 0;
    if (available < len)
        return 0;
    for (int i = 1; i < len; ++i) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    }
    // Overlong forms, surrogates and values above U+10FFFF are not valid UTF-8.
    if (c == 0xE0 && p[1] < 0xA0)
        return 0;
    if (c == 0xED && p[1] > 0x9F)
        return 0;
    if (c == 0xF0 && p[1] < 0x90)
        return 0;
    if (c == 0xF4 && p[1] > 0x8F)
        return 0;
    return len;
}

bool isValidUtf8(const QByteArray &bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData());
    const qsizetype n = bytes.size();
    for (qsizetype i = 0; i < n;) {
        if (p[i] < 0x80) {
            ++i;
            continue;
        }
        const int len = utf8SequenceLength(p + i, n - i);
        if (len == 0)
            return false;
        i += len;
    }
    return true;
}

struct CliWriter
{
    const ReplyFormatter::Limits &limits;
    QString out;
    qsizetype elementsLeft;

    void write(const RedisReply &r, const QString &prefix)
    {
        switch (r.type()) {
        case RedisReply::Type::Nil:
            out += QStringLiteral("(nil)\n");
            return;
        case RedisReply::Type::Integer:
            out +=
                QStringLiteral("(integer) ") + QString::number(r.toInteger()) + QLatin1Char('\n');
            return;
        case RedisReply::Type::Status:
            out += ReplyFormatter::escapeBytes(r.bytes(), false) + QLatin1Char('\n');
            return;
        case RedisReply::Type::Error:
            out += QStringLiteral("(error) ") + ReplyFormatter::escapeBytes(r.bytes(), false)
                   + QLatin1Char('\n');
            return;
        case RedisReply::Type::String:
            writeString(r.bytes());
            return;
        case RedisReply::Type::Array:
            writeArray(r, prefix);
            return;
        }
    }

    void writeString(const QByteArray &bytes)
    {
        if (bytes.size() <= limits.maxStringBytes) {
            out += ReplyFormatter::escapeBytes(bytes, true) + QLatin1Char('\n');
            return;
        }
        out += ReplyFormatter::escapeBytes(bytes.left(limits.maxStringBytes), true)
               + QStringLiteral(" … (%1 more bytes not shown)\n")
                     .arg(bytes.size() - limits.maxStringBytes);
    }

    void writeArray(const RedisReply &r, const QString &prefix)
    {
        const auto &elements = r.elements();
        if (elements.empty()) {
            out += QStringLiteral("(empty array)\n");
            return;
        }
        // Indices are right-aligned to the width of the largest one; nested arrays are
        // indented by that width plus ") ".
        const int width = static_cast<int>(QString::number(elements.size()).size());
        const QString childPrefix = prefix + QString(width + 2, QLatin1Char(' '));
        for (size_t i = 0; i < elements.size(); ++i) {
            if (elementsLeft <= 0) {
                out +=
                    prefix
                    + QStringLiteral("… (%1 more elements not shown)\n").arg(elements.size() - i);
                return;
            }
            --elementsLeft;
            if (i > 0)
                out += prefix;
            out += QStringLiteral("%1) ").arg(i + 1, width);
            write(elements[i], childPrefix);
        }
    }
};

void appendRaw(QByteArray &out, const RedisReply &r)
{
    switch (r.type()) {
    case RedisReply::Type::Nil:
        return;
    case RedisReply::Type::Integer:
        out += QByteArray::number(r.toInteger());
        return;
    case RedisReply::Type::String:
    case RedisReply::Type::Status:
        out += r.bytes();
        return;
    case RedisReply::Type::Error:
        out += "(error) " + r.bytes();
        return;
    case RedisReply::Type::Array: {
        bool first = true;
        for (const RedisReply &e : r.elements()) {
            if (!first)
                out += '\n';
            first = false;
            appendRaw(out, e);
        }
        return;
    }
    }
}

nlohmann::json bytesToJson(const QByteArray &bytes)
{
    if (isValidUtf8(bytes))
        return bytes.toStdString();
    return nlohmann::json{{"base64", bytes.toBase64().toStdString()}};
}

} // namespace

QString ReplyFormatter::escapeBytes(const QByteArray &bytes, bool quoted)
{
    QString out;
    out.reserve(bytes.size() + 2);
    if (quoted)
        out += QLatin1Char('"');
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData());
    const qsizetype n = bytes.size();
    for (qsizetype i = 0; i < n;) {
        const unsigned char c = p[i];
        if (c >= 0x80) {
            const int len = utf8SequenceLength(p + i, n - i);
            if (len > 0) {
                out += QString::fromUtf8(reinterpret_cast<const char *>(p + i), len);
                i += len;
                continue;
            }
            out += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
            ++i;
            continue;
        }
        switch (c) {
        case '\\':
            out += QStringLiteral("\\\\");
            break;
        case '"':
            out += quoted ? QStringLiteral("\\\"") : QStringLiteral("\"");
            break;
        case '\n':
            out += QStringLiteral("\\n");
            break;
        case '\r':
            out += QStringLiteral("\\r");
            break;
        case '\t':
            out += QStringLiteral("\\t");
            break;
        case '\a':
            out += QStringLiteral("\\a");
            break;
        case '\b':
            out += QStringLiteral("\\b");
            break;
        default:
            if (c >= 0x20 && c < 0x7f)
                out += QLatin1Char(static_cast<char>(c));
            else
                out += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
        }
        ++i;
    }
    if (quoted)
        out += QLatin1Char('"');
    return out;
}

bool ReplyFormatter::prefersRawText(const QList<QByteArray> &command)
{
    if (command.isEmpty())
        return false;
    const QByteArray name = command.first().toUpper();
    const QByteArray sub = command.size() > 1 ? command.at(1).toUpper() : QByteArray();
    if (name == "INFO" || name == "LOLWUT")
        return true;
    if (name == "CLIENT")
        return sub == "LIST" || sub == "INFO";
    if (name == "CLUSTER")
        return sub == "NODES" || sub == "INFO";
    if (name == "MEMORY")
        return sub == "DOCTOR" || sub == "MALLOC-STATS";
    if (name == "LATENCY")
        return sub == "DOCTOR" || sub == "GRAPH";
    if (name == "DEBUG")
        return sub == "HTSTATS" || sub == "HTSTATS-KEY";
    return false;
}

QString ReplyFormatter::toCliText(const RedisReply &reply, const Limits &limits)
{
    CliWriter writer{limits, {}, limits.maxElements};
    writer.write(reply, QString());
    if (writer.out.endsWith(QLatin1Char('\n')))
        writer.out.chop(1);
    return writer.out;
}

QByteArray ReplyFormatter::toRaw(const RedisReply &reply)
{
    QByteArray out;
    appendRaw(out, reply);
    return out;
}

nlohmann::json ReplyFormatter::toJson(const RedisReply &r)
{
    switch (r.type()) {
    case RedisReply::Type::Nil:
        return nullptr;
    case RedisReply::Type::Integer:
        return r.toInteger();
    case RedisReply::Type::String:
    case RedisReply::Type::Status:
        return bytesToJson(r.bytes());
    case RedisReply::Type::Error:
        return nlohmann::json{{"error", QString::fromUtf8(r.bytes()).toStdString()}};
    case RedisReply::Type::Array: {
        nlohmann::json arr = nlohmann::json::array();
        for (const RedisReply &e : r.elements())
            arr.push_back(toJson(e));
        return arr;
    }
    }
    return nullptr;
}

} // namespace bd::connectors
