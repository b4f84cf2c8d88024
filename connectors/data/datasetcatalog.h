#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace bd::connectors {

// Where a dataset's records live in Redis and how to read, refresh and watch them
// (DESIGN.md, "Business data").
struct DatasetDefinition
{
    enum class Source {
        JsonArray,  // a string key holding a JSON array of objects
        JsonHash,   // a hash whose values are JSON objects, one record per field
        KeyPattern, // one record per key: a hash, or a string holding a JSON object
    };

    QString name; // "Employees"; unique, compared without case
    QString description;
    Source source = Source::JsonArray;
    QByteArray key;         // the key, or the pattern (employee:*) for KeyPattern
    QStringList columns;    // shown first, in this order; empty: every field, as found
    QString idField;        // names a record across reads (diffs); empty: the whole record
    QString refreshTask;    // a task catalog name; empty: no Refresh
    QString changeChannel;  // the service announces changes here; empty: none
    qint64 expectedTtl = 0; // seconds the service caches it for; 0: not known
    QString origin;         // the file it came from, or kSessionOrigin (never saved)
    bool builtIn = false;

    static inline const QString kSessionOrigin = QStringLiteral("session");

    static QString sourceName(Source source); // "json-array", "json-hash", "key-pattern"
    static bool sourceFromName(const QString &name, Source *out);
};

// The dataset definitions: the ones shipped in resources, then the operator's own
// (<config>/datasets.json), which override a built-in of the same name. The format:
//
//   {"datasets": [{"name": "Employees", "source": "json-array", "key": "employees",
//                  "columns": ["name", "position", "department", "branch"], "id": "id",
//                  "refresh_task": "tasks.celery_tasks.fetch_and_store_employee_data",
//                  "channel": "data_updates", "ttl": 3600, "description": "..."}]}
//
// A file that cannot be read keeps what was read so far and says why, by file and entry.
class DatasetCatalog
{
public:
    // The operator's file, shared by the console and the command line:
    // <config>/Brokerdesk/datasets.json (~/.config/Brokerdesk/datasets.json on Linux).
    static QString userPath();
    // The built-ins (":/brokerdesk/datasets/datasets.json", when the resources are linked),
    // then the operator's file.
    static DatasetCatalog loadDefault();

    void load(const QByteArray &json, const QString &origin, bool builtIn);
    void loadFile(const QString &path, bool optional, bool builtIn);

    const QList<DatasetDefinition> &datasets() const { return m_datasets; }
    const DatasetDefinition *find(const QString &name) const;
    const QStringList &problems() const { return m_problems; }

    // Adds or replaces (by name) a definition of the operator's.
    void put(DatasetDefinition definition);
    // Removes the operator's definition: a built-in it overrode comes back as shipped. False
    // when there is no such definition of the operator's (built-ins stay).
    bool remove(const QString &name);

    // The operator's definitions as the file format; written atomically to path.
    QByteArray userJson() const;
    bool saveUser(const QString &path, QString *error) const;

    // Why a definition cannot be used; empty when it can.
    static QString check(const DatasetDefinition &definition);

private:
    QList<DatasetDefinition> m_datasets;
    QList<DatasetDefinition> m_builtIns; // as shipped, for when an override is removed
    QStringList m_problems;
};

} // namespace bd::connectors
