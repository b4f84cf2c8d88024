#pragma once

#include "connectionprofile.h"

#include <QList>
#include <QString>

namespace bd::connectors {

// Reads and writes the profiles file (JSON, no secrets) in the platform's config location:
// ~/.config/Brokerdesk/profiles.json on Linux, %LOCALAPPDATA%\Brokerdesk on Windows.
// Writes are atomic (QSaveFile): a crash never leaves half a file. Transient profiles are
// never written.
class ProfileStore
{
public:
    explicit ProfileStore(QString filePath = defaultFilePath());

    static QString defaultFilePath();
    QString filePath() const { return m_path; }

    // A missing file is an empty list, not an error. A damaged file is an error, and it is
    // left untouched (the next save() writes beside it a backup first).
    bool load(QList<ConnectionProfile> *profiles, QString *error) const;
    bool save(const QList<ConnectionProfile> &profiles, QString *error) const;

private:
    QString m_path;
};

} // namespace bd::connectors
