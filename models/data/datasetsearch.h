#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace bd::models {

// The Data page's search box: words are looked for in any column, column:text (or
// column:"two words") only in that column. A column:… whose column does not exist is
// looked for as it is, in any column.
struct DatasetSearch
{
    QString anywhere;
    QHash<int, QString> filters; // by column

    static DatasetSearch parse(const QString &text, const QStringList &columns);
};

} // namespace bd::models
