#pragma once

#include <QByteArray>
#include <QSet>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace bd::models {
class MessageLogModel;
class TrafficStatsModel;
} // namespace bd::models

namespace bd::ui {

class MessageLogView;

// The Pub/Sub page: subscriptions (channels and patterns, added and removed while the capture
// runs), the channels with their traffic (the server's, from PUBSUB, and those messages came
// on), the live message log with its detail pane, publishing, and the keyspace-events preset.
// It talks to no server: the app layer answers its signals.
class PubSubPage : public QWidget
{
    Q_OBJECT

public:
    PubSubPage(models::MessageLogModel *log, models::TrafficStatsModel *traffic,
               QWidget *parent = nullptr);

    MessageLogView *logView() const { return m_logView; }
    void setReadOnly(bool readOnly);
    void setSubscriptions(const QSet<QByteArray> &channels, const QSet<QByteArray> &patterns);
    void setConnectionText(const QString &text, bool problem);
    void setServerNote(const QString &text, bool problem);
    void setPublishResult(const QString &text, bool problem);
    // What the server's notify-keyspace-events says; offer: it publishes too little and may be
    // changed to `proposed` (after a confirmation).
    void setKeyspaceNote(const QString &text, bool offer, const QByteArray &current,
                         const QByteArray &proposed);

Q_SIGNALS:
    // Names with glob characters are patterns (PSUBSCRIBE), the others channels.
    void subscribeRequested(const QList<QByteArray> &names);
    void unsubscribeRequested(const QByteArray &name);
    void refreshChannelsRequested();
    void publishRequested(const QByteArray &channel, const QByteArray &payload);
    void keyspacePresetRequested();
    void keyEventsChangeRequested(const QByteArray &value);
    void shownChanged(bool shown);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void subscribeTyped();
    void validatePayload();
    QByteArray selectedChannel() const;
    void updateChannelButtons();

    models::TrafficStatsModel *m_traffic; // Not owned.
    MessageLogView *m_logView = nullptr;
    QLineEdit *m_subscribeEdit = nullptr;
    QPushButton *m_subscribe = nullptr;
    QPushButton *m_keyspace = nullptr;
    QLabel *m_subscriptions = nullptr;
    QLabel *m_connection = nullptr;
    QLabel *m_keyspaceNote = nullptr;
    QPushButton *m_enableKeyEvents = nullptr;
    QByteArray m_currentEvents;
    QByteArray m_proposedEvents;
    QSortFilterProxyModel *m_channelsProxy = nullptr;
    QTableView *m_channels = nullptr;
    QPushButton *m_unsubscribe = nullptr;
    QPushButton *m_onlyThis = nullptr;
    QPushButton *m_refresh = nullptr;
    QLabel *m_serverNote = nullptr;
    QLineEdit *m_publishChannel = nullptr;
    QLineEdit *m_publishPayload = nullptr;
    QCheckBox *m_publishJson = nullptr;
    QPushButton *m_publish = nullptr;
    QLabel *m_publishResult = nullptr;
    QSet<QByteArray> m_subscribed; // channels and patterns
    bool m_readOnly = false;
    bool m_showingProblem = false; // the publish result shows why Publish is disabled
};

} // namespace bd::ui
