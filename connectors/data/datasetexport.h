#pragma once

#include "data/datasettable.h"

#include <QList>
#include <QStringList>

#include <vector>

class QIODevice;

namespace bd::connectors {

// Writes records of a read (rows: record positions, in the order to write; empty span: all):
//   CSV   UTF-8 with a byte-order mark (Excel on Windows reads it as UTF-8 only then), a header
//         of the columns, RFC 4180 quoting. A text cell that starts like a formula (= + - @) is
//         written after an apostrophe, so a spreadsheet shows it instead of running it.
//   JSON  an array of the records as the server holds them.
// Returns the number of records written, or -1 when the device failed.
qint64 writeDatasetCsv(const DatasetTable &table, const std::vector<qsizetype> &rows,
                       const QList<int> &columns, QIODevice *device);
qint64 writeDatasetJson(const DatasetTable &table, const std::vector<qsizetype> &rows,
                        QIODevice *device);
// Every record, in read order.
std::vector<qsizetype> allDatasetRows(const DatasetTable &table);

} // namespace bd::connectors
