#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace bd::connectors {

// The audit log: every action that changes a broker (send, delete, move, purge) appended as
// one JSON line (time, profile, action, target, task ids, outcome) to a local file. Never a
// secret: profiles are named, not their URLs.
class AuditLog
{
public:
    struct Entry
    {
        QString profile;
        QString action; // "purge", "delete", "send", ...
        QString target; // the queue (escaped when not UTF-8)
        QStringList taskIds;
        QString outcome; // "removed 12", "failed: connection lost", ...
    };

    explicit AuditLog(QString path);
    // The default file, shared by the console and brokerdesk-cli:
    // <GenericDataLocation>/Brokerdesk/audit.jsonl (~/.local/share/Brokerdesk on Linux).
    static QString defaultPath();

    // Appends the entry with the current time; false when the file cannot be written.
    bool append(const Entry &entry) const;

    struct Record
    {
        QDateTime time; // UTC
        Entry entry;
    };
    // The last max records, oldest first. Lines that are not records (a truncated last line, a
    // hand edit) are skipped and counted in skipped. A missing file is an empty log.
    QList<Record> readLast(int max, int *skipped, QString *error) const;
    QString path() const { return m_path; }

private:
    QString m_path;
};

} // namespace bd::connectors
