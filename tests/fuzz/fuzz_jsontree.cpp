// libFuzzer target: bytes straight into the JSON tree model (the detail pane's "JSON tree").
// Must never crash, hang or throw; a tree never holds more rows than asked plus the note.
#include "keys/jsontree.h"

#include <QStandardItemModel>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

int countRows(const QStandardItem *item)
{
    int rows = 0;
    QList<const QStandardItem *> pending{item};
    while (!pending.isEmpty()) {
        const QStandardItem *i = pending.takeLast();
        rows += i->rowCount();
        for (int r = 0; r < i->rowCount(); ++r)
            pending << i->child(r);
    }
    return rows;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    constexpr int kMaxNodes = 500;
    const auto model = bd::models::jsonTreeModel(bytes, kMaxNodes);
    if (model && countRows(model->invisibleRootItem()) > kMaxNodes + 1)
        std::abort();
    return 0;
}
