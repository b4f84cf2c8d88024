#include "commandhistory.h"

#include "codec/untrustedjson.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <nlohmann/json.hpp>

namespace bd::models {

CommandHistory::CommandHistory(int maxEntries)
    : m_maxEntries(maxEntries)
{}

void CommandHistory::add(const QString &line)
{
    resetNavigation();
    const QString trimmed = line.trimmed();
    if (trimmed.isEmpty() || (!m_entries.isEmpty() && m_entries.constLast() == trimmed))
        return;
    m_entries.push_back(trimmed);
    while (m_entries.size() > m_maxEntries)
        m_entries.removeFirst();
}

QString CommandHistory::previous(const QString &current)
{
    if (m_entries.isEmpty())
        return current;
    if (m_cursor < 0) {
        m_draft = current;
        m_cursor = static_cast<int>(m_entries.size());
    }
    if (m_cursor > 0)
        --m_cursor;
    return m_entries.at(m_cursor);
}

QString CommandHistory::next()
{
    if (m_cursor < 0)
        return m_draft;
    ++m_cursor;
    if (m_cursor >= m_entries.size()) {
        m_cursor = -1;
        return m_draft;
    }
    return m_entries.at(m_cursor);
}

void CommandHistory::resetNavigation()
{
    m_cursor = -1;
    m_draft.clear();
}

bool CommandHistory::mayContainSecret(const QString &line)
{
    const QStringList words =
        line.simplified().toUpper().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.isEmpty())
        return false;
    const QString &first = words.first();
    if (first == QLatin1String("AUTH"))
        return true;
    if ((first == QLatin1String("HELLO") || first == QLatin1String("MIGRATE"))
        && (words.contains(QLatin1String("AUTH")) || words.contains(QLatin1String("AUTH2"))))
        return true;
    if (first == QLatin1String("ACL") && words.size() > 1 && words[1] == QLatin1String("SETUSER"))
        return true;
    if (first == QLatin1String("CONFIG") && words.size() > 2 && words[1] == QLatin1String("SET")) {
        for (const QString &w : words) {
            if (w == QLatin1String("REQUIREPASS") || w == QLatin1String("MASTERAUTH")
                || w == QLatin1String("MASTERUSER"))
                return true;
        }
    }
    return false;
}

bool CommandHistory::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray data = file.readAll();
    const auto parsed = connectors::parseUntrustedJson(data);
    const nlohmann::json &json = parsed.value;
    if (!json.is_array())
        return false;
    m_entries.clear();
    for (const auto &item : json) {
        if (item.is_string())
            m_entries.push_back(QString::fromStdString(item.get<std::string>()));
    }
    while (m_entries.size() > m_maxEntries)
        m_entries.removeFirst();
    return true;
}

bool CommandHistory::save(const QString &path) const
{
    nlohmann::json json = nlohmann::json::array();
    for (const QString &e : m_entries) {
        if (!mayContainSecret(e))
            json.push_back(e.toStdString());
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    const QByteArray text = connectors::jsonToBytes(json);
    file.write(text.data(), static_cast<qint64>(text.size()));
    return file.commit();
}

} // namespace bd::models
