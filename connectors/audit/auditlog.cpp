#include "auditlog.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <nlohmann/json.hpp>

namespace bd::connectors {

AuditLog::AuditLog(QString path)
    : m_path(std::move(path))
{
}

QString AuditLog::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/audit.jsonl");
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
    const QByteArray bytes = QByteArray::fromStdString(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) + '\n';
    return file.write(bytes) == bytes.size() && file.flush();
}

} // namespace bd::connectors
