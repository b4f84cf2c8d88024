#pragma once

#include "audit/auditlog.h"

#include <QString>

namespace bd::app {

// Appends entry to the audit log at path. Returns an empty string when it was written, else the
// text to add to the action's result: an action the log missed is still reported, and says so.
QString writeAudit(const QString &path, const connectors::AuditLog::Entry &entry);

} // namespace bd::app
