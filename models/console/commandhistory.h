#pragma once

#include <QString>
#include <QStringList>

namespace bd::models {

// A console's command history, like a shell's: Up/Down walk it, the line being typed is kept
// while walking, repeats of the last entry are not stored, and the oldest entries go first
// beyond the limit. Secrets never reach the file (see mayContainSecret). Optionally persisted to a
// file (one JSON array of strings).
class CommandHistory
{
public:
    explicit CommandHistory(int maxEntries = 1000);

    void add(const QString &line);
    // Older entry; `current` is the text being edited (restored when walking back down).
    QString previous(const QString &current);
    QString next();
    void resetNavigation();

    const QStringList &entries() const { return m_entries; }
    // Lines that may carry a password (AUTH, HELLO … AUTH, ACL SETUSER, CONFIG SET
    // requirepass, MIGRATE … AUTH) stay in memory for this session but are never saved.
    static bool mayContainSecret(const QString &line);
    bool load(const QString &path);
    bool save(const QString &path) const;

private:
    QStringList m_entries; // oldest first
    int m_maxEntries;
    int m_cursor = -1; // -1: not navigating
    QString m_draft;
};

} // namespace bd::models
