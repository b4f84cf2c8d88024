#pragma once

#include "profiles/connectionprofile.h"
#include "redis/connectionstate.h"

#include <QAbstractListModel>

namespace bd::models {

// The sidebar's list of connection profiles, with each one's live connection state.
class ProfileListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        ProfileIdRole = Qt::UserRole,
        StateRole,         // connectors::ConnectionState as int
        StateTextRole,     // "connected", "reconnecting in 4 s", "authentication failed: …"
        ColorTagRole,      // "#rrggbb" or empty
        ReadOnlyRole,      // bool
        EndpointRole,      // "127.0.0.1:6379/0"
        TlsUnverifiedRole, // bool: TLS without certificate verification (shown as unsafe)
    };

    explicit ProfileListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    const QList<connectors::ConnectionProfile> &profiles() const { return m_profiles; }
    void setProfiles(QList<connectors::ConnectionProfile> profiles);
    // Adds or replaces (by id). Returns the row.
    int upsert(const connectors::ConnectionProfile &profile);
    void remove(const QString &id);
    int rowOf(const QString &id) const;
    const connectors::ConnectionProfile *find(const QString &id) const;

    void setState(const QString &id, connectors::ConnectionState state, const QString &text);
    connectors::ConnectionState state(const QString &id) const;

private:
    struct LiveState
    {
        connectors::ConnectionState state = connectors::ConnectionState::Disconnected;
        QString text;
    };
    QList<connectors::ConnectionProfile> m_profiles;
    QHash<QString, LiveState> m_states; // by profile id
};

} // namespace bd::models
