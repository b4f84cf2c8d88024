#pragma once

#include <QByteArray>

#include <memory>

class QStandardItemModel;

namespace bd::models {

// A JSON document as a collapsible tree: Key | Value | Type, one row per member or element.
// Stops after maxNodes rows (a last row says how many were left out). Empty JSON or JSON that
// does not parse gives null.
std::unique_ptr<QStandardItemModel> jsonTreeModel(const QByteArray &json, int maxNodes = 20000);

} // namespace bd::models
