#include "datasetcatalog.h"

#include "celery/jsonfields.h"
#include "codec/untrustedjson.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace bd::connectors {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("bd::connectors::DatasetCatalog", text);
}

bool sameName(const QString &a, const QString &b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

} // namespace

QString DatasetDefinition::sourceName(Source source)
{
    switch (source) {
    case Source::JsonHash:
        return QStringLiteral("json-hash");
    case Source::KeyPattern:
        return QStringLiteral("key-pattern");
    case Source::JsonArray:
        break;
    }
    return QStringLiteral("json-array");
}

bool DatasetDefinition::sourceFromName(const QString &name, Source *out)
{
    for (Source s : {Source::JsonArray, Source::JsonHash, Source::KeyPattern}) {
        if (sourceName(s) == name) {
            *out = s;
            return true;
        }
    }
    return false;
}

QString DatasetCatalog::check(const DatasetDefinition &d)
{
    if (d.name.trimmed().isEmpty())
        return tr("a dataset needs a name");
    if (d.key.isEmpty())
        return d.source == DatasetDefinition::Source::KeyPattern ? tr("a key pattern is needed")
                                                                 : tr("a key is needed");
    if (d.expectedTtl < 0)
        return tr("the expected TTL cannot be negative");
    return {};
}

QString DatasetCatalog::userPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
           + QStringLiteral("/Brokerdesk/datasets.json");
}

DatasetCatalog DatasetCatalog::loadDefault()
{
    DatasetCatalog catalog;
    catalog.loadFile(QStringLiteral(":/brokerdesk/datasets/datasets.json"), false, true);
    catalog.loadFile(userPath(), true, false);
    return catalog;
}

void DatasetCatalog::load(const QByteArray &json, const QString &origin, bool builtIn)
{
    const auto parsed = parseUntrustedJson(json);
    if (!parsed.ok()) {
        m_problems << tr("%1: not valid JSON at %2").arg(origin, parsed.error.toString());
        return;
    }
    const nlohmann::json &doc = parsed.value;
    if (!doc.is_object() || !doc.contains("datasets") || !doc["datasets"].is_array()) {
        m_problems << tr("%1: not a dataset list (expected {\"datasets\": [...]})").arg(origin);
        return;
    }
    int index = 0;
    for (const nlohmann::json &entry : doc["datasets"]) {
        const QString where = tr("%1: dataset %2").arg(origin).arg(index++);
        if (!entry.is_object()) {
            m_problems << tr("%1 is not an object").arg(where);
            continue;
        }
        DatasetDefinition d;
        d.name = jsonText(entry, "name").trimmed();
        d.description = jsonText(entry, "description");
        d.key = jsonText(entry, "key").toUtf8();
        d.idField = jsonText(entry, "id");
        d.refreshTask = jsonText(entry, "refresh_task");
        d.changeChannel = jsonText(entry, "channel");
        d.origin = origin;
        d.builtIn = builtIn;
        const QString source = jsonText(entry, "source");
        if (!source.isEmpty() && !DatasetDefinition::sourceFromName(source, &d.source)) {
            m_problems << tr("%1 (%2): unknown source \"%3\" (json-array, json-hash or "
                             "key-pattern)")
                              .arg(where, d.name, source);
            continue;
        }
        if (entry.contains("columns")) {
            const nlohmann::json &columns = entry["columns"];
            bool good = columns.is_array();
            for (const nlohmann::json &c : columns) {
                good = good && c.is_string();
                if (good)
                    d.columns << QString::fromStdString(c.get<std::string>());
            }
            if (!good) {
                m_problems
                    << tr("%1 (%2): columns must be a list of field names").arg(where, d.name);
                continue;
            }
        }
        if (entry.contains("ttl")) {
            const nlohmann::json &ttl = entry["ttl"];
            if (!ttl.is_number_integer() || ttl.get<std::int64_t>() < 0) {
                m_problems
                    << tr("%1 (%2): ttl must be a whole number of seconds").arg(where, d.name);
                continue;
            }
            d.expectedTtl = ttl.get<std::int64_t>();
        }
        if (const QString problem = check(d); !problem.isEmpty()) {
            m_problems << tr("%1: %2").arg(where, problem);
            continue;
        }
        if (builtIn)
            m_builtIns << d;
        put(d);
    }
}

void DatasetCatalog::loadFile(const QString &path, bool optional, bool builtIn)
{
    QFile file(path);
    if (!file.exists() && optional)
        return;
    if (!file.open(QIODevice::ReadOnly)) {
        m_problems << QStringLiteral("%1: %2").arg(path, file.errorString());
        return;
    }
    load(file.readAll(), path, builtIn);
}

const DatasetDefinition *DatasetCatalog::find(const QString &name) const
{
    for (const DatasetDefinition &d : m_datasets) {
        if (sameName(d.name, name))
            return &d;
    }
    return nullptr;
}

void DatasetCatalog::put(DatasetDefinition definition)
{
    for (DatasetDefinition &d : m_datasets) {
        if (sameName(d.name, definition.name)) {
            d = std::move(definition);
            return;
        }
    }
    m_datasets << std::move(definition);
}

bool DatasetCatalog::remove(const QString &name)
{
    for (qsizetype i = 0; i < m_datasets.size(); ++i) {
        if (!sameName(m_datasets.at(i).name, name) || m_datasets.at(i).builtIn)
            continue;
        for (const DatasetDefinition &shipped : std::as_const(m_builtIns)) {
            if (sameName(shipped.name, name)) {
                m_datasets[i] = shipped;
                return true;
            }
        }
        m_datasets.removeAt(i);
        return true;
    }
    return false;
}

QByteArray DatasetCatalog::userJson() const
{
    nlohmann::json list = nlohmann::json::array();
    for (const DatasetDefinition &d : m_datasets) {
        if (d.builtIn || d.origin == DatasetDefinition::kSessionOrigin)
            continue;
        nlohmann::json entry = {{"name", d.name.toStdString()},
                                {"source", DatasetDefinition::sourceName(d.source).toStdString()},
                                {"key", d.key.toStdString()}};
        if (!d.description.isEmpty())
            entry["description"] = d.description.toStdString();
        if (!d.columns.isEmpty()) {
            nlohmann::json columns = nlohmann::json::array();
            for (const QString &c : d.columns)
                columns.push_back(c.toStdString());
            entry["columns"] = columns;
        }
        if (!d.idField.isEmpty())
            entry["id"] = d.idField.toStdString();
        if (!d.refreshTask.isEmpty())
            entry["refresh_task"] = d.refreshTask.toStdString();
        if (!d.changeChannel.isEmpty())
            entry["channel"] = d.changeChannel.toStdString();
        if (d.expectedTtl > 0)
            entry["ttl"] = d.expectedTtl;
        list.push_back(entry);
    }
    return jsonToBytes(nlohmann::json{{"datasets", list}}, 2) + '\n';
}

bool DatasetCatalog::saveUser(const QString &path, QString *error) const
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(userJson()) < 0 || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace bd::connectors
