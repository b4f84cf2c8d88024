#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace bd::connectors {

// A task the operator can run by name: what the Run task dialog completes and fills in, and,
// for data refreshes, a one-click action.
struct CatalogTask
{
    QString name;  // the registered task name, tasks.celery_tasks.fetch_and_store_employee_data
    QString label; // what an action button says, "Refresh employees"; empty: no button
    QString description;
    QString queue = QStringLiteral("celery");
    nlohmann::json args = nlohmann::json::array();
    nlohmann::json kwargs = nlohmann::json::object();
    QString source; // the catalog file it came from
};

// The task catalog: a JSON file shipped with the application plus the operator's own, later
// files overriding a task of the same name. The format:
//
//   {"tasks": [{"name": "tasks.celery_tasks.fetch_and_store_employee_data",
//               "label": "Refresh employees", "description": "...", "queue": "celery",
//               "args": [], "kwargs": {}}]}
//
// A file that cannot be read keeps the tasks read so far and says why, by file and entry.
class TaskCatalog
{
public:
    // Adds the tasks of one catalog file's contents.
    void load(const QByteArray &json, const QString &source);
    // Adds a file; a missing file is no error when optional (the user catalog).
    void loadFile(const QString &path, bool optional);

    const QList<CatalogTask> &tasks() const { return m_tasks; }
    const CatalogTask *find(const QString &name) const;
    // The tasks with a label: the one-click actions, in catalog order.
    QList<CatalogTask> actions() const;
    QStringList names() const;
    const QStringList &problems() const { return m_problems; }

private:
    QList<CatalogTask> m_tasks;
    QStringList m_problems;
};

} // namespace bd::connectors
