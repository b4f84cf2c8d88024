#include "datasetsearch.h"

namespace bd::models {

DatasetSearch DatasetSearch::parse(const QString &text, const QStringList &columns)
{
    DatasetSearch out;
    QStringList words;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && text.at(i).isSpace())
            ++i;
        if (i >= n)
            break;
        // A token: up to the next space outside quotes.
        QString token;
        bool quoted = false;
        while (i < n && (quoted || !text.at(i).isSpace())) {
            if (text.at(i) == QLatin1Char('"'))
                quoted = !quoted;
            else
                token += text.at(i);
            ++i;
        }
        const qsizetype colon = token.indexOf(QLatin1Char(':'));
        if (colon > 0) {
            const QString name = token.left(colon);
            for (qsizetype c = 0; c < columns.size(); ++c) {
                if (columns.at(c).compare(name, Qt::CaseInsensitive) == 0) {
                    out.filters.insert(int(c), token.mid(colon + 1));
                    token.clear();
                    break;
                }
            }
        }
        if (!token.isEmpty())
            words << token;
    }
    out.anywhere = words.join(QLatin1Char(' '));
    return out;
}

} // namespace bd::models
