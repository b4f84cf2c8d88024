#include "taskcatalog.h"

#include "celery/jsonfields.h"
#include "codec/untrustedjson.h"

#include <QFile>

#include <algorithm>

namespace bd::connectors {

void TaskCatalog::load(const QByteArray &json, const QString &source)
{
    const auto parsed = parseUntrustedJson(json);
    if (!parsed.ok()) {
        m_problems
            << QStringLiteral("%1: not valid JSON at %2").arg(source, parsed.error.toString());
        return;
    }
    const nlohmann::json &doc = parsed.value;
    if (!doc.is_object() || !doc.contains("tasks") || !doc["tasks"].is_array()) {
        m_problems << QStringLiteral("%1: not a task catalog (expected {\"tasks\": [...]} as JSON)")
                          .arg(source);
        return;
    }
    int index = 0;
    for (const nlohmann::json &entry : doc["tasks"]) {
        const QString where = QStringLiteral("%1: task %2").arg(source).arg(index++);
        if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string()
            || entry["name"].get<std::string>().empty()) {
            m_problems << where + QStringLiteral(" has no name");
            continue;
        }
        CatalogTask task;
        task.name = jsonText(entry, "name");
        task.label = jsonText(entry, "label");
        task.description = jsonText(entry, "description");
        task.source = source;
        if (entry.contains("queue") && entry["queue"].is_string()
            && !entry["queue"].get<std::string>().empty())
            task.queue = jsonText(entry, "queue");
        if (entry.contains("args")) {
            if (!entry["args"].is_array()) {
                m_problems
                    << QStringLiteral("%1 (%2): args must be a JSON array").arg(where, task.name);
                continue;
            }
            task.args = entry["args"];
        }
        if (entry.contains("kwargs")) {
            if (!entry["kwargs"].is_object()) {
                m_problems << QStringLiteral("%1 (%2): kwargs must be a JSON object")
                                  .arg(where, task.name);
                continue;
            }
            task.kwargs = entry["kwargs"];
        }
        auto same = std::find_if(m_tasks.begin(), m_tasks.end(),
                                 [&task](const CatalogTask &t) { return t.name == task.name; });
        if (same != m_tasks.end())
            *same = task; // the later file (the operator's) wins
        else
            m_tasks << task;
    }
}

void TaskCatalog::loadFile(const QString &path, bool optional)
{
    QFile file(path);
    if (!file.exists() && optional)
        return;
    if (!file.open(QIODevice::ReadOnly)) {
        m_problems << QStringLiteral("%1: %2").arg(path, file.errorString());
        return;
    }
    load(file.readAll(), path);
}

const CatalogTask *TaskCatalog::find(const QString &name) const
{
    for (const CatalogTask &t : m_tasks) {
        if (t.name == name)
            return &t;
    }
    return nullptr;
}

QList<CatalogTask> TaskCatalog::actions() const
{
    QList<CatalogTask> out;
    for (const CatalogTask &t : m_tasks) {
        if (!t.label.isEmpty())
            out << t;
    }
    return out;
}

QStringList TaskCatalog::names() const
{
    QStringList out;
    for (const CatalogTask &t : m_tasks)
        out << t.name;
    return out;
}

} // namespace bd::connectors
