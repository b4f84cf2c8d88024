#include "commandlinesplitter.h"

namespace bd::connectors {

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

} // namespace

CommandLineSplit CommandLineSplit::split(const QString &line)
{
    CommandLineSplit result;
    const QByteArray bytes = line.toUtf8();
    const char *p = bytes.constData();
    const char *end = p + bytes.size();

    for (;;) {
        while (p < end && isSpace(*p))
            ++p;
        if (p >= end)
            break;
        QByteArray current;
        bool inDouble = false;
        bool inSingle = false;
        bool done = false;
        while (!done) {
            if (inDouble) {
                if (p >= end) {
                    result.error = QStringLiteral("unbalanced double quotes");
                    return result;
                }
                if (*p == '\\' && p + 3 < end && p[1] == 'x' && hexValue(p[2]) >= 0
                    && hexValue(p[3]) >= 0) {
                    current += static_cast<char>(hexValue(p[2]) * 16 + hexValue(p[3]));
                    p += 3;
                } else if (*p == '\\' && p + 1 < end) {
                    ++p;
                    switch (*p) {
                    case 'n':
                        current += '\n';
                        break;
                    case 'r':
                        current += '\r';
                        break;
                    case 't':
                        current += '\t';
                        break;
                    case 'b':
                        current += '\b';
                        break;
                    case 'a':
                        current += '\a';
                        break;
                    default:
                        current += *p;
                        break;
                    }
                } else if (*p == '"') {
                    if (p + 1 < end && !isSpace(p[1])) {
                        result.error =
                            QStringLiteral("a closing quote must be followed by a space");
                        return result;
                    }
                    done = true;
                } else {
                    current += *p;
                }
            } else if (inSingle) {
                if (p >= end) {
                    result.error = QStringLiteral("unbalanced single quotes");
                    return result;
                }
                if (*p == '\\' && p + 1 < end && p[1] == '\'') {
                    ++p;
                    current += '\'';
                } else if (*p == '\'') {
                    if (p + 1 < end && !isSpace(p[1])) {
                        result.error =
                            QStringLiteral("a closing quote must be followed by a space");
                        return result;
                    }
                    done = true;
                } else {
                    current += *p;
                }
            } else {
                if (p >= end) {
                    done = true;
                    break;
                }
                switch (*p) {
                case ' ':
                case '\n':
                case '\r':
                case '\t':
                case '\v':
                case '\f':
                    done = true;
                    break;
                case '"':
                    inDouble = true;
                    break;
                case '\'':
                    inSingle = true;
                    break;
                default:
                    current += *p;
                    break;
                }
            }
            if (p < end)
                ++p;
        }
        result.args.push_back(current);
    }
    result.ok = true;
    return result;
}

} // namespace bd::connectors
