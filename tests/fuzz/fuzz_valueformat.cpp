// libFuzzer target: a key's value (or a preview of it) through the detail pane's formatter in
// every viewer mode, and the JSON tree the pane builds of what it decoded.
// Must never crash, hang or throw.
#include "keys/jsontree.h"
#include "keys/valueformat.h"

#include <QStandardItemModel>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace bd::models;
    const QByteArray bytes =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    for (const ValueMode mode : {ValueMode::Auto, ValueMode::Text, ValueMode::Hex,
                                 ValueMode::Base64, ValueMode::MessagePack}) {
        // The whole value, and the same bytes as a preview of a longer one (GETRANGE cut it).
        for (const qint64 total : {qint64(bytes.size()), qint64(bytes.size()) * 2 + 1}) {
            const ValueView view = formatValue(bytes, total, mode);
            if (!view.json.isEmpty())
                (void)jsonTreeModel(view.json, 2000);
        }
    }
    return 0;
}
