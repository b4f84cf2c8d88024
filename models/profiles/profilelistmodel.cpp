#include "profilelistmodel.h"

#include "redis/redisurl.h"

namespace bd::models {

using connectors::ConnectionProfile;
using connectors::ConnectionSettings;
using connectors::ConnectionState;

ProfileListModel::ProfileListModel(QObject *parent)
    : QAbstractListModel(parent)
{}

int ProfileListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_profiles.size());
}

QVariant ProfileListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ConnectionProfile &p = m_profiles.at(index.row());
    const LiveState live = m_states.value(p.id);
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return p.name;
    case Qt::ToolTipRole: {
        QString tip = connectors::RedisUrl::toDisplayUrl(p.settings);
        tip += QLatin1Char('\n')
               + (live.text.isEmpty() ? connectors::connectionStateName(live.state) : live.text);
        if (p.settings.readOnly)
            tip += QStringLiteral("\nread-only: commands that change data are refused");
        return tip;
    }
    case ProfileIdRole:
        return p.id;
    case StateRole:
        return static_cast<int>(live.state);
    case StateTextRole:
        return live.text.isEmpty() ? connectors::connectionStateName(live.state) : live.text;
    case ColorTagRole:
        return p.colorTag;
    case ReadOnlyRole:
        return p.settings.readOnly;
    case EndpointRole:
        return p.settings.transport == ConnectionSettings::Transport::Unix
                   ? p.settings.endpoint()
                   : p.settings.endpoint() + QLatin1Char('/') + QString::number(p.settings.db);
    case TlsUnverifiedRole:
        return p.settings.transport == ConnectionSettings::Transport::Tls
               && !p.settings.tls.verifyPeer;
    default:
        return {};
    }
}

QHash<int, QByteArray> ProfileListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(ProfileIdRole, "profileId");
    names.insert(StateRole, "state");
    names.insert(StateTextRole, "stateText");
    names.insert(ColorTagRole, "colorTag");
    names.insert(ReadOnlyRole, "readOnly");
    names.insert(EndpointRole, "endpoint");
    names.insert(TlsUnverifiedRole, "tlsUnverified");
    return names;
}

void ProfileListModel::setProfiles(QList<ConnectionProfile> profiles)
{
    beginResetModel();
    m_profiles = std::move(profiles);
    endResetModel();
}

int ProfileListModel::upsert(const ConnectionProfile &profile)
{
    const int row = rowOf(profile.id);
    if (row >= 0) {
        m_profiles[row] = profile;
        const QModelIndex i = index(row);
        Q_EMIT dataChanged(i, i);
        return row;
    }
    const int end = static_cast<int>(m_profiles.size());
    beginInsertRows({}, end, end);
    m_profiles.push_back(profile);
    endInsertRows();
    return end;
}

void ProfileListModel::remove(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_profiles.removeAt(row);
    m_states.remove(id);
    endRemoveRows();
}

int ProfileListModel::rowOf(const QString &id) const
{
    for (qsizetype i = 0; i < m_profiles.size(); ++i) {
        if (m_profiles[i].id == id)
            return static_cast<int>(i);
    }
    return -1;
}

const ConnectionProfile *ProfileListModel::find(const QString &id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_profiles[row];
}

void ProfileListModel::setState(const QString &id, ConnectionState state, const QString &text)
{
    m_states[id] = LiveState{state, text};
    const int row = rowOf(id);
    if (row >= 0) {
        const QModelIndex i = index(row);
        Q_EMIT dataChanged(i, i, {StateRole, StateTextRole, Qt::ToolTipRole});
    }
}

ConnectionState ProfileListModel::state(const QString &id) const
{
    return m_states.value(id).state;
}

} // namespace bd::models
