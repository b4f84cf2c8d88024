#include "monitorline.h"

#include <cctype>

namespace bd::connectors {

namespace {

// Reads one quoted argument starting at line[pos] == '"'; pos ends after the closing quote.
bool readQuoted(const QByteArray &line, qsizetype &pos, QByteArray &out)
{
    ++pos; // the opening quote
    while (pos < line.size()) {
        const char c = line[pos++];
        if (c == '"')
            return true;
        if (c != '\\') {
            out.append(c);
            continue;
        }
        if (pos >= line.size())
            return false;
        const char e = line[pos++];
        switch (e) {
        case 'n':
            out.append('\n');
            break;
        case 'r':
            out.append('\r');
            break;
        case 't':
            out.append('\t');
            break;
        case 'a':
            out.append('\a');
            break;
        case 'b':
            out.append('\b');
            break;
        case 'x': {
            const QByteArray digits = line.mid(pos, 2);
            if (digits.size() != 2 || !std::isxdigit(uchar(digits[0]))
                || !std::isxdigit(uchar(digits[1])))
                return false;
            out.append(char(digits.toInt(nullptr, 16)));
            pos += 2;
            break;
        }
        default:
            out.append(e);
            break; // \" and \\ (and anything else, as itself)
        }
    }
    return false; // no closing quote
}

} // namespace

MonitorLine parseMonitorLine(const QByteArray &line)
{
    MonitorLine m;
    const qsizetype open = line.indexOf(" [");
    const qsizetype close = open < 0 ? -1 : line.indexOf("] ", open);
    if (open <= 0 || close < 0)
        return m;
    // "1700000000.123456": seconds and microseconds, read as integers (a double loses µs).
    const QByteArray time = line.left(open);
    const qsizetype dot = time.indexOf('.');
    bool okSeconds = false;
    bool okMicros = true;
    const qint64 seconds = time.left(dot < 0 ? time.size() : dot).toLongLong(&okSeconds);
    qint64 micros = 0;
    if (dot >= 0) {
        const QByteArray fraction = time.mid(dot + 1).leftJustified(6, '0', true);
        micros = fraction.toLongLong(&okMicros);
    }
    // A time no server writes (before 1970, past the year 5000, a negative fraction) is not a
    // MONITOR line, and would overflow the microseconds.
    constexpr qint64 kMaxSeconds = 100000000000LL;
    if (!okSeconds || !okMicros || seconds < 0 || seconds > kMaxSeconds || micros < 0
        || micros > 999999)
        return m;
    const QByteArray where = line.mid(open + 2, close - open - 2);
    const qsizetype space = where.indexOf(' ');
    bool okDb = false;
    const int db = where.left(space).toInt(&okDb);
    if (space < 0 || !okDb)
        return m;
    QList<QByteArray> args;
    qsizetype pos = close + 2;
    while (pos < line.size()) {
        if (line[pos] == ' ') {
            ++pos;
            continue;
        }
        if (line[pos] != '"')
            return m;
        QByteArray arg;
        if (!readQuoted(line, pos, arg))
            return m;
        args.push_back(std::move(arg));
    }
    if (args.isEmpty())
        return m;
    m.ok = true;
    m.timeUs = seconds * 1000000 + micros;
    m.db = db;
    m.client = where.mid(space + 1);
    m.args = std::move(args);
    return m;
}

} // namespace bd::connectors
