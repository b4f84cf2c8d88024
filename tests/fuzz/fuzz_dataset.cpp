// libFuzzer target: the dataset decoder, differential (DESIGN.md, "Libraries"). The simdjson
// hot path and the nlohmann reference decode every input; they must agree on whether it is
// records and, when it is, on every column, cell, id, record JSON value and problem. Neither
// may crash, hang or throw; the diff of a table with itself is empty.
#include "codec/untrustedjson.h"
#include "data/datasetdecoder.h"
#include "data/datasetdiff.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

using bd::connectors::DatasetTable;

bool sameTable(const DatasetTable &a, const DatasetTable &b)
{
    if (a.columns() != b.columns() || a.recordCount() != b.recordCount()
        || a.problemCount() != b.problemCount() || a.idColumn() != b.idColumn())
        return false;
    for (qsizetype r = 0; r < a.recordCount(); ++r) {
        if (a.record(r).index != b.record(r).index || a.record(r).origin != b.record(r).origin)
            return false;
        for (int c = 0; c < a.columnCount(); ++c) {
            if (a.cellUtf8(r, c) != b.cellUtf8(r, c))
                return false;
        }
        // The hot path keeps the record as it came, the reference prints it: the same value.
        const auto ja = bd::connectors::parseUntrustedJson(a.recordJson(r));
        const auto jb = bd::connectors::parseUntrustedJson(b.recordJson(r));
        if (!ja.ok() || !jb.ok() || ja.value != jb.value)
            return false;
    }
    for (qsizetype i = 0; i < a.problems().size(); ++i) {
        if (a.problems().at(i).record != b.problems().at(i).record
            || a.problems().at(i).text != b.problems().at(i).text)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace bd::connectors;
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    // The first byte picks the id field, so duplicate and missing ids are reached.
    const DatasetDecodeOptions options{{QStringLiteral("name")},
                                       size > 0 && data[0] % 2 ? QStringLiteral("id") : QString()};
    const DatasetTable hot = decodeDatasetJson(bytes, options);
    const DatasetTable reference = decodeDatasetJsonReference(bytes, options);
    if (hot.ok() != reference.ok())
        std::abort();
    if (hot.ok() && !sameTable(hot, reference))
        std::abort();
    if (!hot.ok() && !hot.error.startsWith(reference.error))
        std::abort(); // the same error, said the same way
    if (!diffDatasets(hot, hot).isEmpty())
        std::abort();
    return 0;
}
