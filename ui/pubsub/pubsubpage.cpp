#include "pubsubpage.h"

#include "codec/untrustedjson.h"
#include "common/confirmation.h"
#include "common/tableviews.h"
#include "common/tones.h"
#include "pubsub/messagelogmodel.h"
#include "pubsub/messagelogview.h"
#include "pubsub/sparklinedelegate.h"
#include "pubsub/trafficstatsmodel.h"
#include "redis/commandlinesplitter.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace bd::ui {

using models::TrafficStatsModel;

namespace {

QString joinNames(const QSet<QByteArray> &names)
{
    QList<QByteArray> sorted(names.begin(), names.end());
    std::sort(sorted.begin(), sorted.end());
    QStringList out;
    for (const QByteArray &n : sorted)
        out << QString::fromUtf8(n);
    return out.join(QStringLiteral(", "));
}

} // namespace

PubSubPage::PubSubPage(models::MessageLogModel *log, TrafficStatsModel *traffic, QWidget *parent)
    : QWidget(parent)
    , m_traffic(traffic)
{
    // Subscriptions.
    m_subscribeEdit = new QLineEdit(this);
    m_subscribeEdit->setObjectName(QStringLiteral("pubsubSubscribeEdit"));
    m_subscribeEdit->setPlaceholderText(
        tr("Channels or patterns, separated by spaces: data_updates notif* "
           "\"/0.celeryev/*\""));
    m_subscribeEdit->setToolTip(
        tr("A name with * ? or [ ] is a pattern (PSUBSCRIBE); quote names with spaces"));
    m_subscribe = new QPushButton(tr("Subscribe"), this);
    m_subscribe->setObjectName(QStringLiteral("pubsubSubscribe"));
    m_keyspace = new QPushButton(tr("Keyspace events"), this);
    m_keyspace->setObjectName(QStringLiteral("pubsubKeyspacePreset"));
    m_keyspace->setToolTip(
        tr("Subscribe to __keyspace@<db>__:* and __keyevent@<db>__:* of this db"));
    m_connection = new QLabel(this);
    m_connection->setObjectName(QStringLiteral("pubsubConnection"));
    m_connection->setWordWrap(true); // a long error wraps rather than squeezing the subscribe box
    m_connection->setMaximumWidth(m_connection->fontMetrics().horizontalAdvance(QLatin1Char('0'))
                                  * 44);
    auto *subscribeBar = new QHBoxLayout;
    subscribeBar->addWidget(m_subscribeEdit, 1);
    subscribeBar->addWidget(m_subscribe);
    subscribeBar->addWidget(m_keyspace);
    subscribeBar->addWidget(m_connection);
    m_subscriptions = new QLabel(tr("Not subscribed to anything yet."), this);
    m_subscriptions->setObjectName(QStringLiteral("pubsubSubscriptions"));
    m_subscriptions->setWordWrap(true);
    m_keyspaceNote = new QLabel(this);
    m_keyspaceNote->setObjectName(QStringLiteral("pubsubKeyspaceNote"));
    m_keyspaceNote->setWordWrap(true);
    m_keyspaceNote->hide();
    m_enableKeyEvents = new QPushButton(tr("Change notify-keyspace-events…"), this);
    m_enableKeyEvents->setObjectName(QStringLiteral("pubsubEnableKeyEvents"));
    m_enableKeyEvents->hide();
    auto *keyspaceBar = new QHBoxLayout;
    keyspaceBar->addWidget(m_keyspaceNote, 1);
    keyspaceBar->addWidget(m_enableKeyEvents);

    // Channels and their traffic.
    m_channelsProxy = new QSortFilterProxyModel(this);
    m_channelsProxy->setSourceModel(traffic);
    m_channelsProxy->setSortRole(TrafficStatsModel::RawValueRole);
    m_channels = new QTableView(this);
    m_channels->setObjectName(QStringLiteral("pubsubChannels"));
    m_channels->setModel(m_channelsProxy);
    useFixedRowTable(m_channels);
    m_channels->setSortingEnabled(true);
    m_channels->sortByColumn(TrafficStatsModel::TotalColumn, Qt::DescendingOrder);
    m_channels->setItemDelegateForColumn(
        TrafficStatsModel::GraphColumn,
        new SparklineDelegate(TrafficStatsModel::HistoryRole, m_channels));
    const int digit = m_channels->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    // The name takes what is left, so the counts, the rate and the graph always show.
    QHeaderView *header = m_channels->horizontalHeader();
    header->setSectionResizeMode(TrafficStatsModel::NameColumn, QHeaderView::Stretch);
    m_channels->setColumnWidth(TrafficStatsModel::SubscribersColumn, digit * 6);
    m_channels->setColumnWidth(TrafficStatsModel::TotalColumn, digit * 9);
    m_channels->setColumnWidth(TrafficStatsModel::RateColumn, digit * 8);
    m_channels->setColumnWidth(TrafficStatsModel::GraphColumn, digit * 12);
    m_channels->setToolTip(tr("Double-click a channel to subscribe to it"));
    m_unsubscribe = new QPushButton(tr("Unsubscribe"), this);
    m_unsubscribe->setObjectName(QStringLiteral("pubsubUnsubscribe"));
    m_onlyThis = new QPushButton(tr("Show only this"), this);
    m_onlyThis->setObjectName(QStringLiteral("pubsubShowOnly"));
    m_refresh = new QPushButton(tr("Refresh"), this);
    m_refresh->setObjectName(QStringLiteral("pubsubRefreshChannels"));
    m_refresh->setToolTip(
        tr("PUBSUB CHANNELS, NUMSUB and NUMPAT now (done every few seconds while this page "
           "is shown)"));
    m_serverNote = new QLabel(this);
    m_serverNote->setObjectName(QStringLiteral("pubsubServerNote"));
    m_serverNote->setWordWrap(true);
    auto *channelButtons = new QHBoxLayout;
    channelButtons->addWidget(m_unsubscribe);
    channelButtons->addWidget(m_onlyThis);
    channelButtons->addStretch(1);
    channelButtons->addWidget(m_refresh);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_channels, 1);
    leftLayout->addLayout(channelButtons);
    leftLayout->addWidget(m_serverNote);

    m_logView = new MessageLogView(log, this);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(m_logView);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 5);
    split->setSizes({digit * 68, digit * 120});

    // Publishing.
    m_publishChannel = new QLineEdit(this);
    m_publishChannel->setObjectName(QStringLiteral("pubsubPublishChannel"));
    m_publishChannel->setPlaceholderText(tr("Channel"));
    m_publishPayload = new QLineEdit(this);
    m_publishPayload->setObjectName(QStringLiteral("pubsubPublishPayload"));
    m_publishPayload->setPlaceholderText(tr("Message"));
    m_publishJson = new QCheckBox(tr("JSON"), this);
    m_publishJson->setObjectName(QStringLiteral("pubsubPublishJson"));
    m_publishJson->setToolTip(tr("Check that the message is valid JSON before it is sent"));
    m_publish = new QPushButton(tr("Publish"), this);
    m_publish->setObjectName(QStringLiteral("pubsubPublish"));
    m_publishResult = new QLabel(this);
    m_publishResult->setObjectName(QStringLiteral("pubsubPublishResult"));
    auto *publishBar = new QHBoxLayout;
    publishBar->addWidget(new QLabel(tr("Publish:"), this));
    publishBar->addWidget(m_publishChannel, 1);
    publishBar->addWidget(m_publishPayload, 3);
    publishBar->addWidget(m_publishJson);
    publishBar->addWidget(m_publish);
    publishBar->addWidget(m_publishResult);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(subscribeBar);
    layout->addWidget(m_subscriptions);
    layout->addLayout(keyspaceBar);
    layout->addWidget(split, 1);
    layout->addLayout(publishBar);

    connect(m_subscribe, &QPushButton::clicked, this, &PubSubPage::subscribeTyped);
    connect(m_subscribeEdit, &QLineEdit::returnPressed, this, &PubSubPage::subscribeTyped);
    connect(m_keyspace, &QPushButton::clicked, this, &PubSubPage::keyspacePresetRequested);
    connect(m_enableKeyEvents, &QPushButton::clicked, this, [this] {
        askConfirmation(
            this, tr("Change notify-keyspace-events"),
            tr("Set notify-keyspace-events from \"%1\" to \"%2\" on this server?\n\nEvery change "
               "to a "
               "key will then publish messages for all its clients, which costs the server CPU and "
               "network on a busy instance.")
                .arg(QString::fromUtf8(m_currentEvents), QString::fromUtf8(m_proposedEvents)),
            tr("Change it"), QStringLiteral("confirmPubSubKeyEvents"),
            [this] { Q_EMIT keyEventsChangeRequested(m_proposedEvents); });
    });
    connect(m_channels, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        const QByteArray name =
            index.siblingAtColumn(0).data(TrafficStatsModel::NameBytesRole).toByteArray();
        if (!name.isEmpty() && !m_subscribed.contains(name))
            Q_EMIT subscribeRequested({name});
    });
    connect(m_unsubscribe, &QPushButton::clicked, this, [this] {
        const QByteArray name = selectedChannel();
        if (m_subscribed.contains(name))
            Q_EMIT unsubscribeRequested(name);
    });
    connect(m_onlyThis, &QPushButton::clicked, this,
            [this] { m_logView->filterByName(QString::fromUtf8(selectedChannel())); });
    connect(m_refresh, &QPushButton::clicked, this, &PubSubPage::refreshChannelsRequested);
    connect(m_channels->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &PubSubPage::updateChannelButtons);
    connect(m_logView, &MessageLogView::cleared, traffic, &TrafficStatsModel::clearCounts);
    connect(m_publishPayload, &QLineEdit::textChanged, this, &PubSubPage::validatePayload);
    connect(m_publishChannel, &QLineEdit::textChanged, this, &PubSubPage::validatePayload);
    connect(m_publishJson, &QCheckBox::toggled, this, &PubSubPage::validatePayload);
    connect(m_publishPayload, &QLineEdit::returnPressed, m_publish, &QPushButton::click);
    connect(m_publish, &QPushButton::clicked, this, [this] {
        if (!m_publish->isEnabled())
            return;
        setPublishResult(tr("Publishing…"), false);
        Q_EMIT publishRequested(m_publishChannel->text().toUtf8(),
                                m_publishPayload->text().toUtf8());
    });
    validatePayload();
    updateChannelButtons();
}

void PubSubPage::subscribeTyped()
{
    const connectors::CommandLineSplit split =
        connectors::CommandLineSplit::split(m_subscribeEdit->text());
    if (!split.ok) {
        m_subscriptions->setText(tr("Not subscribed: %1").arg(split.error));
        return;
    }
    if (split.args.isEmpty())
        return;
    Q_EMIT subscribeRequested(split.args);
    m_subscribeEdit->clear();
}

QByteArray PubSubPage::selectedChannel() const
{
    const QModelIndexList rows = m_channels->selectionModel()->selectedRows();
    if (rows.isEmpty() || rows.first().data(TrafficStatsModel::OtherRole).toBool())
        return {};
    return rows.first().data(TrafficStatsModel::NameBytesRole).toByteArray();
}

void PubSubPage::updateChannelButtons()
{
    const QByteArray name = selectedChannel();
    m_unsubscribe->setEnabled(m_subscribed.contains(name));
    m_onlyThis->setEnabled(!name.isEmpty());
}

void PubSubPage::validatePayload()
{
    QString problem;
    if (m_readOnly)
        problem = tr("Read-only profile: publishing is refused");
    else if (m_publishChannel->text().isEmpty())
        problem = tr("Name a channel to publish on");
    else if (m_publishJson->isChecked()) {
        const auto parsed = connectors::parseUntrustedJson(m_publishPayload->text().toUtf8());
        if (!parsed.ok())
            problem = tr("Not valid JSON at %1").arg(parsed.error.toString());
    }
    m_publish->setEnabled(problem.isEmpty());
    m_publish->setToolTip(problem);
    // A missing channel is plain from the empty field; invalid JSON and read-only are said.
    const bool say = !problem.isEmpty() && (m_publishJson->isChecked() || m_readOnly);
    if (say)
        setPublishResult(problem, true);
    else if (m_showingProblem)
        setPublishResult(QString(), false);
    m_showingProblem = say;
}

void PubSubPage::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    m_publishChannel->setEnabled(!readOnly);
    m_publishPayload->setEnabled(!readOnly);
    validatePayload();
    m_enableKeyEvents->setEnabled(!readOnly);
    m_enableKeyEvents->setToolTip(
        readOnly ? tr("Read-only profile: the server's settings cannot be changed") : QString());
}

void PubSubPage::setSubscriptions(const QSet<QByteArray> &channels,
                                  const QSet<QByteArray> &patterns)
{
    m_subscribed = channels + patterns;
    if (m_subscribed.isEmpty()) {
        m_subscriptions->setText(tr("Not subscribed to anything."));
    } else {
        QStringList parts;
        if (!channels.isEmpty())
            parts << tr("Channels: %1").arg(joinNames(channels));
        if (!patterns.isEmpty())
            parts << tr("Patterns: %1").arg(joinNames(patterns));
        m_subscriptions->setText(parts.join(QStringLiteral(" · ")));
    }
    m_traffic->setSubscriptions(m_subscribed);
    updateChannelButtons();
}

void PubSubPage::setConnectionText(const QString &text, bool problem)
{
    m_connection->setText(text);
    m_connection->setStyleSheet(problem ? models::toneStyleSheet(models::Tone::Error, true)
                                        : QString());
}

void PubSubPage::setServerNote(const QString &text, bool problem)
{
    m_serverNote->setText(text);
    m_serverNote->setStyleSheet(problem ? models::toneStyleSheet(models::Tone::Error) : QString());
}

void PubSubPage::setPublishResult(const QString &text, bool problem)
{
    m_publishResult->setText(text);
    m_publishResult->setStyleSheet(problem ? models::toneStyleSheet(models::Tone::Error)
                                           : QString());
}

void PubSubPage::setKeyspaceNote(const QString &text, bool offer, const QByteArray &current,
                                 const QByteArray &proposed)
{
    m_currentEvents = current;
    m_proposedEvents = proposed;
    m_keyspaceNote->setText(text);
    m_keyspaceNote->setVisible(!text.isEmpty());
    m_enableKeyEvents->setVisible(offer);
}

void PubSubPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    Q_EMIT shownChanged(true);
}

void PubSubPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    Q_EMIT shownChanged(false);
}

} // namespace bd::ui
