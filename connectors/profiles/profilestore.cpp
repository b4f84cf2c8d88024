#include "profilestore.h"

#include "codec/untrustedjson.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

#include <nlohmann/json.hpp>

namespace bd::connectors {

namespace {
constexpr int kFormatVersion = 1;
}

ProfileStore::ProfileStore(QString filePath)
    : m_path(std::move(filePath))
{}

QString ProfileStore::defaultFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
           + QStringLiteral("/profiles.json");
}

bool ProfileStore::load(QList<ConnectionProfile> *profiles, QString *error) const
{
    profiles->clear();
    QFile file(m_path);
    if (!file.exists())
        return true;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(m_path, file.errorString());
        return false;
    }
    const QByteArray data = file.readAll();
    const auto parsed = parseUntrustedJson(data);
    const nlohmann::json &root = parsed.value;
    if (!parsed.ok() || !root.is_object()) {
        *error = parsed.ok()
                     ? QStringLiteral("%1 is not a JSON object; it was left as it is").arg(m_path)
                     : QStringLiteral("%1 is not valid JSON (%2); it was left as it is")
                           .arg(m_path, parsed.error.toString());
        return false;
    }
    const auto list = root.find("profiles");
    if (list == root.end() || !list->is_array())
        return true;
    for (const auto &item : *list) {
        ConnectionProfile p;
        QString itemError;
        if (ConnectionProfile::fromJson(item, &p, &itemError))
            profiles->push_back(std::move(p));
    }
    return true;
}

bool ProfileStore::save(const QList<ConnectionProfile> &profiles, QString *error) const
{
    nlohmann::json list = nlohmann::json::array();
    for (const ConnectionProfile &p : profiles) {
        if (!p.transient)
            list.push_back(p.toJson());
    }
    const nlohmann::json root{{"version", kFormatVersion}, {"profiles", list}};
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    // A file that no longer parses may still hold profiles someone wants back: keep a copy.
    if (QFile::exists(m_path)) {
        QList<ConnectionProfile> existing;
        QString loadError;
        if (!load(&existing, &loadError)) {
            QFile::copy(m_path, m_path + QStringLiteral(".damaged-")
                                    + QString::number(QDateTime::currentSecsSinceEpoch()));
        }
    }
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString());
        return false;
    }
    const QByteArray text = jsonToBytes(root, 2);
    file.write(text.data(), static_cast<qint64>(text.size()));
    if (!file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString());
        return false;
    }
    return true;
}

} // namespace bd::connectors
