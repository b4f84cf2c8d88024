#include "auditwrite.h"

#include <QCoreApplication>

namespace bd::app {

QString writeAudit(const QString &path, const connectors::AuditLog::Entry &entry)
{
    if (connectors::AuditLog(path).append(entry))
        return {};
    return QCoreApplication::translate("bd::app::AuditLog", " (not written to the audit log %1)")
        .arg(path);
}

} // namespace bd::app
