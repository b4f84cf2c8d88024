#include "jsontree.h"

#include "codec/untrustedjson.h"

#include <QObject>
#include <QStandardItemModel>

#include <nlohmann/json.hpp>

namespace bd::models {

namespace {

QString typeName(const nlohmann::json &j)
{
    switch (j.type()) {
    case nlohmann::json::value_t::object:
        return QObject::tr("object");
    case nlohmann::json::value_t::array:
        return QObject::tr("array");
    case nlohmann::json::value_t::string:
        return QObject::tr("string");
    case nlohmann::json::value_t::boolean:
        return QObject::tr("boolean");
    case nlohmann::json::value_t::null:
        return QObject::tr("null");
    case nlohmann::json::value_t::binary:
        return QObject::tr("bytes");
    default:
        return QObject::tr("number");
    }
}

QString scalarText(const nlohmann::json &j)
{
    if (j.is_string())
        return QString::fromStdString(j.get_ref<const std::string &>());
    if (j.is_object())
        return QObject::tr("{%n member(s)}", nullptr, int(j.size()));
    if (j.is_array())
        return QObject::tr("[%n item(s)]", nullptr, int(j.size()));
    return connectors::jsonToText(j);
}

} // namespace

std::unique_ptr<QStandardItemModel> jsonTreeModel(const QByteArray &json, int maxNodes)
{
    const auto parsed = connectors::parseUntrustedJson(json);
    if (!parsed.ok())
        return nullptr;
    const nlohmann::json &doc = parsed.value;
    auto model = std::make_unique<QStandardItemModel>();
    model->setHorizontalHeaderLabels(
        {QObject::tr("Key"), QObject::tr("Value"), QObject::tr("Type")});
    int nodes = 0;
    qint64 skipped = 0;
    // Iterative, so a deeply nested document cannot exhaust the stack.
    struct Pending
    {
        const nlohmann::json *value;
        QStandardItem *parent;
        QString key;
    };
    std::vector<Pending> stack{{&doc, model->invisibleRootItem(), QObject::tr("(root)")}};
    while (!stack.empty()) {
        const Pending p = stack.back();
        stack.pop_back();
        if (nodes >= maxNodes) {
            ++skipped;
            continue;
        }
        ++nodes;
        QList<QStandardItem *> row{new QStandardItem(p.key),
                                   new QStandardItem(scalarText(*p.value)),
                                   new QStandardItem(typeName(*p.value))};
        for (QStandardItem *i : row)
            i->setEditable(false);
        p.parent->appendRow(row);
        // Children pushed in reverse so that they come out in document order.
        if (p.value->is_object()) {
            std::vector<Pending> children;
            for (auto it = p.value->begin(); it != p.value->end(); ++it)
                children.push_back({&it.value(), row.first(), QString::fromStdString(it.key())});
            stack.insert(stack.end(), children.rbegin(), children.rend());
        } else if (p.value->is_array()) {
            for (qsizetype i = qsizetype(p.value->size()) - 1; i >= 0; --i)
                stack.push_back(
                    {&(*p.value)[size_t(i)], row.first(), QStringLiteral("[%1]").arg(i)});
        }
    }
    if (skipped > 0) {
        auto *more = new QStandardItem(QObject::tr("… %n more node(s) not shown", nullptr,
                                                   int(qMin<qint64>(skipped, INT_MAX))));
        more->setEditable(false);
        model->invisibleRootItem()->appendRow(more);
    }
    return model;
}

} // namespace bd::models
