#include "datasetexport.h"

#include <QIODevice>

#include <charconv>

namespace bd::connectors {

namespace {

bool isNumber(QByteArrayView text)
{
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size();
}

void appendCsvField(QByteArray &line, QByteArrayView text)
{
    const bool formula =
        !text.isEmpty() && QByteArrayView("=+-@").contains(text.front()) && !isNumber(text);
    const bool quote = formula || text.contains(',') || text.contains('"') || text.contains('\n')
                       || text.contains('\r');
    if (!quote) {
        line.append(text);
        return;
    }
    line.append('"');
    if (formula)
        line.append('\'');
    for (char c : text) {
        if (c == '"')
            line.append('"');
        line.append(c);
    }
    line.append('"');
}

} // namespace

std::vector<qsizetype> allDatasetRows(const DatasetTable &table)
{
    std::vector<qsizetype> rows(size_t(table.recordCount()));
    for (qsizetype i = 0; i < table.recordCount(); ++i)
        rows[size_t(i)] = i;
    return rows;
}

qint64 writeDatasetCsv(const DatasetTable &table, const std::vector<qsizetype> &rows,
                       const QList<int> &columns, QIODevice *device)
{
    QByteArray out("\xEF\xBB\xBF");
    for (qsizetype i = 0; i < columns.size(); ++i) {
        if (i > 0)
            out.append(',');
        appendCsvField(out, table.columns().value(columns.at(i)).toUtf8());
    }
    out.append("\r\n");
    qint64 written = 0;
    for (qsizetype row : rows) {
        for (qsizetype i = 0; i < columns.size(); ++i) {
            if (i > 0)
                out.append(',');
            appendCsvField(out, table.cellUtf8(row, columns.at(i)));
        }
        out.append("\r\n");
        ++written;
        if (out.size() > (1 << 20)) {
            if (device->write(out) != out.size())
                return -1;
            out.clear();
        }
    }
    return device->write(out) == out.size() ? written : -1;
}

qint64 writeDatasetJson(const DatasetTable &table, const std::vector<qsizetype> &rows,
                        QIODevice *device)
{
    QByteArray out("[");
    qint64 written = 0;
    for (qsizetype row : rows) {
        out.append(written == 0 ? "\n  " : ",\n  ");
        out.append(table.recordJson(row));
        ++written;
        if (out.size() > (1 << 20)) {
            if (device->write(out) != out.size())
                return -1;
            out.clear();
        }
    }
    out.append(written == 0 ? "]\n" : "\n]\n");
    return device->write(out) == out.size() ? written : -1;
}

} // namespace bd::connectors
