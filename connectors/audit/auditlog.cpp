#include "auditlog.h"

#include "codec/untrustedjson.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <nlohmann/json.hpp>

namespace bd::connectors {

AuditLog::AuditLog(QString path)
    : m_path(std::move(path))
{}

QString AuditLog::defaultPath()
{
    // One log for the console and the command line (their application names differ).
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
           + QStringLiteral("/Brokerdesk/audit.jsonl");
}

bool AuditLog::append(const Entry &entry) const
{
    nlohmann::json ids = nlohmann::json::array();
    for (const QString &id : entry.taskIds)
        ids.push_back(id.toStdString());
    const nlohmann::json line{
        {"time", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString()},
        {"profile", entry.profile.toStdString()},
        {"action", entry.action.toStdString()},
        {"target", entry.target.toStdString()},
        {"task_ids", ids},
        {"outcome", entry.outcome.toStdString()}};
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QFile file(m_path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        return false;
    // One write of one whole line: lines of two windows never interleave.
    const QByteArray bytes = jsonToBytes(line) + '\n';
    return file.write(bytes) == bytes.size() && file.flush();
}

QList<AuditLog::Record> AuditLog::readLast(int max, int *skipped, QString *error) const
{
    QList<Record> records;
    *skipped = 0;
    QFile file(m_path);
    if (!file.exists())
        return records;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return records;
    }
    // The log only grows: read its tail (a line is a few hundred bytes at most).
    constexpr qint64 kTailBytes = 4 * 1024 * 1024;
    if (file.size() > kTailBytes) {
        file.seek(file.size() - kTailBytes);
        file.readLine(); // a partial line
    }
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty())
            continue;
        const auto parsed = parseUntrustedJson(line);
        const nlohmann::json &j = parsed.value;
        if (!j.is_object() || !j.contains("action") || !j.contains("time")) {
            ++*skipped;
            continue;
        }
        const auto text = [&j](const char *name) {
            return j.contains(name) && j[name].is_string()
                       ? QString::fromStdString(j[name].get<std::string>())
                       : QString();
        };
        Record r;
        r.time = QDateTime::fromString(text("time"), Qt::ISODateWithMs);
        r.entry.profile = text("profile");
        r.entry.action = text("action");
        r.entry.target = text("target");
        r.entry.outcome = text("outcome");
        if (j.contains("task_ids") && j["task_ids"].is_array()) {
            for (const nlohmann::json &id : j["task_ids"]) {
                if (id.is_string())
                    r.entry.taskIds << QString::fromStdString(id.get<std::string>());
            }
        }
        records << r;
        if (records.size() > max)
            records.removeFirst();
    }
    return records;
}

} // namespace bd::connectors
